using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Touchpoint.Core.Distribution.Apk;

/// <summary>
/// The APK Signing Block (schemes v2 and v3), found through its 24-byte footer just before the central directory.
/// Only the signer identities are read: the catalogue compares certificates to notice a changed key, while the
/// cryptographic check of the digests and signatures is apksigner's and the device's job at install time.
/// </summary>
internal static class SigningBlock
{
    private const uint V2Id = 0x7109871a;
    private const uint V3Id = 0xf05368c0;
    private const int FooterSize = 24;
    // Real blocks are a few kilobytes (up to 4 KiB of padding when verity is on); anything near this is not a signature.
    private const long MaxBlockBytes = 16 << 20;

    private static ReadOnlySpan<byte> Magic => "APK Sig Block 42"u8;

    /// <summary>The scheme and each signer's first certificate digest; null when the APK has no v2/v3 signature.</summary>
    public static (string Scheme, IReadOnlyList<string> Certificates)? Read(Stream apk, long centralDirectoryOffset)
    {
        if (centralDirectoryOffset < FooterSize + 8)
        {
            return null;
        }
        var footer = new byte[FooterSize];
        apk.Position = centralDirectoryOffset - FooterSize;
        apk.ReadExactly(footer);
        if (!footer.AsSpan(8).SequenceEqual(Magic))
        {
            return null;
        }
        // The size counts everything after its own leading copy: pairs and footer.
        var size = BinaryPrimitives.ReadUInt64LittleEndian(footer);
        if (size < FooterSize || size > (ulong)(centralDirectoryOffset - 8))
        {
            throw ApkException.BadSignature("签名块长度越界");
        }
        if (size > MaxBlockBytes)
        {
            throw ApkException.BadSignature("签名块过大");
        }
        var block = new byte[(int)size + 8];
        apk.Position = centralDirectoryOffset - block.Length;
        apk.ReadExactly(block);
        if (BinaryPrimitives.ReadUInt64LittleEndian(block) != size)
        {
            throw ApkException.BadSignature("签名块首尾长度不一致");
        }

        ReadOnlySpan<byte> v2 = default, v3 = default;
        bool hasV2 = false, hasV3 = false;
        var pairs = block.AsSpan(8, block.Length - 8 - FooterSize);
        while (!pairs.IsEmpty)
        {
            if (pairs.Length < 12)
            {
                throw ApkException.BadSignature("签名块条目截断");
            }
            var pairLength = BinaryPrimitives.ReadUInt64LittleEndian(pairs);
            if (pairLength < 4 || pairLength > (ulong)(pairs.Length - 8))
            {
                throw ApkException.BadSignature("签名块条目长度越界");
            }
            var pair = pairs.Slice(8, (int)pairLength);
            pairs = pairs[(8 + (int)pairLength)..];
            // The first pair of an id is the one apksig reads.
            switch (BinaryPrimitives.ReadUInt32LittleEndian(pair))
            {
                case V2Id when !hasV2:
                    v2 = pair[4..];
                    hasV2 = true;
                    break;
                case V3Id when !hasV3:
                    v3 = pair[4..];
                    hasV3 = true;
                    break;
            }
        }
        if (hasV3)
        {
            return ("v3", Signers(v3));
        }
        if (hasV2)
        {
            return ("v2", Signers(v2));
        }
        return null;
    }

    // v2 and v3 share the start of a signer: signed data → digests, certificates. v3 only appends fields after them.
    private static IReadOnlyList<string> Signers(ReadOnlySpan<byte> value)
    {
        var signers = LengthPrefixed(ref value);
        var digests = new List<string>();
        while (!signers.IsEmpty)
        {
            var signer = LengthPrefixed(ref signers);
            var signedData = LengthPrefixed(ref signer);
            _ = LengthPrefixed(ref signedData);
            var certificates = LengthPrefixed(ref signedData);
            if (certificates.IsEmpty)
            {
                throw ApkException.BadSignature("签名者没有证书");
            }
            var digest = Convert.ToHexStringLower(SHA256.HashData(LengthPrefixed(ref certificates)));
            if (!digests.Contains(digest))
            {
                digests.Add(digest);
            }
        }
        if (digests.Count == 0)
        {
            throw ApkException.BadSignature("签名块中没有签名者");
        }
        return digests;
    }

    private static ReadOnlySpan<byte> LengthPrefixed(ref ReadOnlySpan<byte> rest)
    {
        if (rest.Length < 4)
        {
            throw ApkException.BadSignature("签名数据截断");
        }
        var length = BinaryPrimitives.ReadUInt32LittleEndian(rest);
        if (length > (uint)(rest.Length - 4))
        {
            throw ApkException.BadSignature("签名数据长度越界");
        }
        var value = rest.Slice(4, (int)length);
        rest = rest[(4 + (int)length)..];
        return value;
    }
}
