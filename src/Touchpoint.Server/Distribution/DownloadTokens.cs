using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Touchpoint.Server.Distribution;

/// <summary>
/// Signed, expiring download addresses: one per (target, attempt, artifact), sealed with the platform's Data Protection
/// ring (shared by every node). A device downloads only what one of its live jobs names; no listing, no guessing.
/// </summary>
public sealed class DownloadTokens(IDataProtectionProvider protection, IOptions<DistributionOptions> options, IServer server, TimeProvider clock)
{
    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("Touchpoint.Distribution.Download.v1").ToTimeLimitedDataProtector();

    public const string Path = "/api/distribution/downloads";

    /// <param name="atLeast">The job's own lifetime: an address never expires before the device's time is up.</param>
    public string Url(long targetId, int attempt, string sha256, TimeSpan? atLeast = null)
    {
        var lifetime = TimeSpan.FromMinutes(options.Value.DownloadUrlMinutes);
        if (atLeast > lifetime)
        {
            lifetime = atLeast.Value;
        }
        var token = _protector.Protect($"{targetId}:{attempt}:{sha256}", clock.GetUtcNow().Add(lifetime));
        return $"{BaseUrl()}{Path}/{sha256}?token={Uri.EscapeDataString(token)}";
    }

    /// <summary>The target and attempt the token was issued for, if it is genuine, unexpired and for this artifact.</summary>
    public (long TargetId, int Attempt)? Read(string? token, string sha256)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        try
        {
            var parts = _protector.Unprotect(token, out var expires).Split(':');
            if (parts.Length != 3 || parts[2] != sha256 || expires < clock.GetUtcNow())
            {
                return null;
            }
            return (long.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    internal string BaseUrl()
    {
        if (options.Value.DownloadBaseUrl is { Length: > 0 } configured)
        {
            return configured.TrimEnd('/');
        }
        // One node and the demo: where this node listens, with a wildcard host made reachable on loopback.
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
            ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
        return address.Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1").Replace("://+", "://127.0.0.1")
            .Replace("://*", "://127.0.0.1").TrimEnd('/');
    }
}
