using System.Security.Cryptography;
using System.Text;

namespace Touchpoint.Core.DeviceChannel;

/// <summary>
/// The password a device presents to an external broker (mosquitto, EMQX …) that cannot check a signed connect token.
/// Both sides derive it from the device's private key: the platform while it issues the key (it forgets both
/// afterwards and hands the broker only this password), the device from the key it keeps. A new key means a new password.
/// </summary>
public static class BrokerPassword
{
    private const string Label = "touchpoint-broker-password-v1|";

    public static string Derive(ECDsa privateKey, string sn)
    {
        var d = privateKey.ExportParameters(includePrivateParameters: true).D
            ?? throw new ArgumentException("a private key is needed", nameof(privateKey));
        try
        {
            var mac = HMACSHA256.HashData(d, Encoding.UTF8.GetBytes(Label + sn));
            return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }
        finally
        {
            CryptographicOperations.ZeroMemory(d);
        }
    }
}
