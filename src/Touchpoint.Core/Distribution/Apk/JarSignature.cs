using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;

namespace Touchpoint.Core.Distribution.Apk;

/// <summary>
/// The v1 (JAR) signature: each META-INF/*.RSA|*.DSA|*.EC is a PKCS#7 SignedData whose signer certificate names
/// the key. As with v2/v3, the signatures are not verified here: the identity is read to notice a changed key, and
/// apksigner or the device does the cryptographic check.
/// </summary>
internal static class JarSignature
{
    private const int MaxBlockBytes = 1 << 20;

    /// <summary>Each signer's certificate digest, or null when the APK has no signature block file.</summary>
    public static IReadOnlyList<string>? Read(ZipArchive zip)
    {
        var files = zip.Entries
            .Where(e => e.FullName.StartsWith("META-INF/", StringComparison.Ordinal)
                && e.FullName.IndexOf('/', "META-INF/".Length) < 0
                && (e.FullName.EndsWith(".RSA", StringComparison.OrdinalIgnoreCase)
                    || e.FullName.EndsWith(".DSA", StringComparison.OrdinalIgnoreCase)
                    || e.FullName.EndsWith(".EC", StringComparison.OrdinalIgnoreCase)))
            .OrderBy(e => e.FullName, StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            return null;
        }
        var digests = new List<string>();
        foreach (var file in files)
        {
            byte[] bytes;
            try
            {
                bytes = ZipEntries.ReadBounded(file, MaxBlockBytes) ?? throw ApkException.BadSignature($"{file.FullName} 过大");
            }
            catch (InvalidDataException)
            {
                throw ApkException.BadSignature($"{file.FullName} 已损坏");
            }
            // The certificates are parsed lazily, so a corrupt one only shows when a signer's certificate is asked for.
            try
            {
                var cms = new SignedCms();
                cms.Decode(bytes);
                foreach (var signer in cms.SignerInfos)
                {
                    using var certificate = signer.Certificate ?? throw ApkException.BadSignature($"{file.FullName} 缺少签名者证书");
                    var digest = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
                    if (!digests.Contains(digest))
                    {
                        digests.Add(digest);
                    }
                }
            }
            catch (CryptographicException)
            {
                throw ApkException.BadSignature($"{file.FullName} 不是有效的 PKCS#7 签名");
            }
        }
        if (digests.Count == 0)
        {
            throw ApkException.BadSignature("v1 签名中没有签名者");
        }
        return digests;
    }
}
