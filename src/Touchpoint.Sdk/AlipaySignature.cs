using System.Security.Cryptography;
using System.Text;

namespace Touchpoint.Sdk;

/// <summary>
/// The OpenAPI v2 signature: parameters sorted by key (ordinal), <c>key=value</c> joined with <c>&amp;</c>, raw values,
/// signed with SHA256withRSA (RSA2) or SHA1withRSA (RSA).
/// </summary>
public static class AlipaySignature
{
    /// <summary>The string to sign for a request: every parameter but <c>sign</c>, empty values included.</summary>
    public static string RequestContent(IEnumerable<KeyValuePair<string, string>> parameters) =>
        Content(parameters.Where(p => p.Key != "sign"));

    /// <summary>The string to sign for a notification: every parameter but <c>sign</c> and <c>sign_type</c>.</summary>
    public static string NotificationContent(IEnumerable<KeyValuePair<string, string>> parameters) =>
        Content(parameters.Where(p => p.Key is not "sign" and not "sign_type"));

    public static string Content(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var builder = new StringBuilder(256);
        foreach (var (key, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }
            builder.Append(key).Append('=').Append(value);
        }
        return builder.ToString();
    }

    public static string Sign(string content, RSA privateKey, string signType = "RSA2") =>
        Convert.ToBase64String(privateKey.SignData(Encoding.UTF8.GetBytes(content), Hash(signType), RSASignaturePadding.Pkcs1));

    public static string Sign(ReadOnlySpan<byte> content, RSA privateKey, string signType = "RSA2") =>
        Convert.ToBase64String(privateKey.SignData(content, Hash(signType), RSASignaturePadding.Pkcs1));

    public static bool Verify(string content, string? signature, RSA publicKey, string signType = "RSA2") =>
        Verify(Encoding.UTF8.GetBytes(content), signature, publicKey, signType);

    public static bool Verify(ReadOnlySpan<byte> content, string? signature, RSA publicKey, string signType = "RSA2")
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }
        Span<byte> raw = stackalloc byte[512];
        if (!Convert.TryFromBase64String(signature, raw, out var written))
        {
            return false;
        }
        return publicKey.VerifyData(content, raw[..written], Hash(signType), RSASignaturePadding.Pkcs1);
    }

    /// <summary>True for the sign types the gateway knows.</summary>
    public static bool IsKnownSignType(string? signType) => signType is "RSA2" or "RSA";

    private static HashAlgorithmName Hash(string signType) => signType switch
    {
        "RSA2" => HashAlgorithmName.SHA256,
        "RSA" => HashAlgorithmName.SHA1,
        _ => throw new ArgumentException($"Unknown sign_type '{signType}'.", nameof(signType)),
    };
}
