using System.Net;
using System.Net.Sockets;

namespace Touchpoint.Server.Security;

/// <summary>Who a throttle counts: an IPv4 address, or an IPv6 client's /64 (one host usually holds a whole /64).</summary>
public static class ClientAddress
{
    public static string KeyOf(IPAddress? address)
    {
        if (address is null)
        {
            return "?";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
