using System.Buffers.Binary;

namespace Touchpoint.Core.Distribution.Apk;

/// <summary>
/// Finds the central directory from the End of Central Directory record, reading only the file's tail: the APK
/// signing block sits just before the central directory, and an upload may be hundreds of megabytes.
/// </summary>
internal static class ZipEnd
{
    private const int RecordSize = 22;
    private const uint Signature = 0x06054b50;

    /// <summary>The central directory's offset; null for ZIP64, which APK Signature Scheme v2/v3 do not support.</summary>
    public static long? CentralDirectoryOffset(Stream zip)
    {
        var length = zip.Length;
        if (length < RecordSize)
        {
            throw ApkException.NotZip();
        }
        // The record is followed only by a comment of at most 65535 bytes.
        var tail = new byte[(int)Math.Min(length, RecordSize + ushort.MaxValue)];
        zip.Position = length - tail.Length;
        zip.ReadExactly(tail);
        for (var at = tail.Length - RecordSize; at >= 0; at--)
        {
            var record = tail.AsSpan(at);
            if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Signature
                || BinaryPrimitives.ReadUInt16LittleEndian(record[20..]) != record.Length - RecordSize)
            {
                continue;
            }
            var size = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(record[16..]);
            if (offset == uint.MaxValue || size == uint.MaxValue)
            {
                return null;
            }
            var recordOffset = length - tail.Length + at;
            if ((long)offset + size > recordOffset)
            {
                throw ApkException.NotZip();
            }
            return offset;
        }
        throw ApkException.NotZip();
    }
}
