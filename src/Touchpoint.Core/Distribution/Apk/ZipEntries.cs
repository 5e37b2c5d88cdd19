using System.IO.Compression;

namespace Touchpoint.Core.Distribution.Apk;

internal static class ZipEntries
{
    /// <summary>
    /// The entry's bytes; null when it declares more than <paramref name="maxBytes"/>. Inflating to another size than
    /// declared is corrupt data, so a header cannot claim a small entry and deliver a large one.
    /// </summary>
    /// <exception cref="InvalidDataException">The entry's data is corrupt or not the declared size.</exception>
    public static byte[]? ReadBounded(ZipArchiveEntry entry, int maxBytes)
    {
        if (entry.Length > maxBytes)
        {
            return null;
        }
        var bytes = new byte[entry.Length];
        using var content = entry.Open();
        var read = content.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (read != bytes.Length || content.ReadByte() != -1)
        {
            throw new InvalidDataException("The entry is not the size its header declares.");
        }
        return bytes;
    }
}
