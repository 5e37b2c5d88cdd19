using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Touchpoint.Core.DeviceChannel;

/// <summary>
/// The MQTT password of a device: <c>v1.{unix seconds}.{nonce}.{signature}</c>, the signature ECDSA P-256/SHA-256
/// (IEEE P1363, base64) over <c>touchpoint-mqtt-v1|{sn}|{seconds}|{nonce}</c> with the device's private key.
/// Fresh per connect: the server refuses old timestamps and nonces it has seen.
/// </summary>
public static class ConnectToken
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static string Create(string sn, ECDsa privateKey, DateTimeOffset now)
    {
        var seconds = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var signature = privateKey.SignData(Content(sn, seconds, nonce), HashAlgorithmName.SHA256);
        return $"v1.{seconds}.{nonce}.{Convert.ToBase64String(signature)}";
    }

    public enum Verdict { Valid, Malformed, Expired, BadSignature }

    /// <summary>Checks shape, freshness and signature; the caller checks the nonce was not seen before.</summary>
    public static (Verdict Verdict, string? Nonce) Verify(string sn, string? password, ECDsa publicKey, DateTimeOffset now)
    {
        var parts = (password ?? "").Split('.');
        if (parts.Length != 4 || parts[0] != "v1" || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || parts[2].Length is < 16 or > 64)
        {
            return (Verdict.Malformed, null);
        }
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Window)
        {
            return (Verdict.Expired, null);
        }
        Span<byte> signature = stackalloc byte[128];
        if (!Convert.TryFromBase64String(parts[3], signature, out var length))
        {
            return (Verdict.Malformed, null);
        }
        return publicKey.VerifyData(Content(sn, parts[1], parts[2]), signature[..length], HashAlgorithmName.SHA256)
            ? (Verdict.Valid, parts[2])
            : (Verdict.BadSignature, null);
    }

    private static byte[] Content(string sn, string seconds, string nonce) => Encoding.UTF8.GetBytes($"touchpoint-mqtt-v1|{sn}|{seconds}|{nonce}");
}
