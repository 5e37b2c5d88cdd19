using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Common;

namespace Touchpoint.Server.Security;

/// <summary>
/// Where the platform itself may send requests (应用网关 notifications, the preview's my.request): public addresses
/// only, unless the allow-list names the host. Checked on the URL when it is saved and again on every address the
/// name resolves to when a request connects, so a name that later resolves to 169.254.169.254 or 10.x is refused too.
/// </summary>
public sealed class OutboundUrlPolicy
{
    private readonly HashSet<string> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IPNetwork> _networks = [];

    public OutboundUrlPolicy(IOptions<SecurityOptions> options, IOptions<Demo.DemoOptions> demo)
    {
        var entries = options.Value.OutboundAllowList.AsEnumerable();
        if (demo.Value.Seed)
        {
            // The demo's sample merchant back end runs beside the platform on loopback.
            entries = entries.Concat(["127.0.0.0/8", "::1/128", "localhost"]);
        }
        foreach (var entry in entries.Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                _networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                _networks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                _hosts.Add(entry);
            }
        }
    }

    /// <summary>Refuses a URL that is not http(s) or whose host is, as written, an address the platform must not reach.</summary>
    public void CheckUrl(string url, string what)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || url.Length > 500)
        {
            throw TouchpointException.Invalid($"{what}应为 http:// 或 https:// 开头的完整地址");
        }
        if (_hosts.Contains(uri.IdnHost))
        {
            return;
        }
        if (uri.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase) || uri.IdnHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal) && !IsAllowed(literal)))
        {
            throw TouchpointException.Invalid($"{what}不能指向本机、内网或链路本地地址（{uri.Host}）");
        }
    }

    /// <summary>Whether a resolved address may be connected to.</summary>
    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return _networks.Any(n => n.Contains(address)) || !IsInternal(address);
    }

    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (EmbeddedIPv4(address) is { } inner)
        {
            // NAT64, 6to4 and IPv4-compatible forms reach the IPv4 address inside them: judge that one.
            return IsInternal(inner);
        }
        return Internal.Any(n => n.Contains(address));
    }

    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }
        var b = address.GetAddressBytes();
        if (Nat64.Contains(address) || (Compatible.Contains(address) && !address.Equals(IPAddress.IPv6Loopback) && !address.Equals(IPAddress.IPv6Any)))
        {
            return new IPAddress(b.AsSpan(12, 4));
        }
        return SixToFour.Contains(address) ? new IPAddress(b.AsSpan(2, 4)) : null;
    }

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Compatible = IPNetwork.Parse("::/96");

    /// <summary>The HTTP handler for outbound calls: every connect goes through the address check; no redirects.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        // A proxy would make the connect check see the proxy's address, not the target's.
        UseProxy = false,
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            var allowed = _hosts.Contains(host) ? addresses : addresses.Where(IsAllowed).ToArray();
            if (allowed.Length == 0)
            {
                throw new HttpRequestException($"目标地址 {host} 解析为本机、内网或链路本地地址，已拒绝连接");
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    private static readonly IPNetwork[] Internal =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("ff00::/8"), IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("::/128"),
        // Local-use NAT64 (RFC 8215) translates to whatever the operator chose: internal by definition.
        IPNetwork.Parse("64:ff9b:1::/48"),
    ];
}
