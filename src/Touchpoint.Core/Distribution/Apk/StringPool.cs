using System.Buffers.Binary;
using System.Text;

namespace Touchpoint.Core.Distribution.Apk;

/// <summary>
/// A binary XML string pool (chunk 0x0001), UTF-8 or UTF-16. Strings are decoded on first use and kept, so that a
/// hostile manifest referring to one huge string many times costs its size once.
/// </summary>
internal sealed class StringPool
{
    private const int HeaderSize = 28;
    private const uint Utf8Flag = 0x100;
    // A 4 MiB manifest holds at most a million offsets; real ones have a few hundred strings.
    private const uint MaxStrings = 1 << 20;

    private readonly byte[] _xml;
    private readonly int _offsets;
    private readonly int _dataStart;
    private readonly int _dataEnd;
    private readonly bool _utf8;
    private readonly Dictionary<uint, string> _decoded = [];

    public uint Count { get; }

    public StringPool(byte[] xml, int chunk, int headerSize, int size)
    {
        if (headerSize < HeaderSize)
        {
            throw ApkException.BadManifest("字符串池头部过短");
        }
        var header = xml.AsSpan(chunk, headerSize);
        var stringCount = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        var styleCount = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
        var stringsStart = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
        var stylesStart = BinaryPrimitives.ReadUInt32LittleEndian(header[24..]);
        if (stringCount > MaxStrings || styleCount > MaxStrings
            || headerSize + 4L * (stringCount + styleCount) > size)
        {
            throw ApkException.BadManifest("字符串池条目数异常");
        }
        if (stringCount > 0 && stringsStart > size)
        {
            throw ApkException.BadManifest("字符串池数据越界");
        }
        _xml = xml;
        _utf8 = (flags & Utf8Flag) != 0;
        _offsets = chunk + headerSize;
        _dataStart = chunk + (int)stringsStart;
        _dataEnd = chunk + (styleCount > 0 && stylesStart > stringsStart && stylesStart <= size ? (int)stylesStart : size);
        Count = stringCount;
    }

    /// <summary>The string at <paramref name="index"/>; null for the "no string" index 0xFFFFFFFF.</summary>
    public string? Get(uint index)
    {
        if (index == uint.MaxValue)
        {
            return null;
        }
        if (index >= Count)
        {
            throw ApkException.BadManifest("字符串索引越界");
        }
        if (!_decoded.TryGetValue(index, out var text))
        {
            text = Decode(BinaryPrimitives.ReadUInt32LittleEndian(_xml.AsSpan(_offsets + 4 * (int)index)));
            _decoded[index] = text;
        }
        return text;
    }

    private string Decode(uint offset)
    {
        if (offset >= (uint)(_dataEnd - _dataStart))
        {
            throw ApkException.BadManifest("字符串偏移越界");
        }
        var at = _dataStart + (int)offset;
        if (_utf8)
        {
            _ = Utf8Length(ref at); // length in UTF-16 units, not needed to decode
            var bytes = Utf8Length(ref at);
            Need(at, bytes);
            return Encoding.UTF8.GetString(_xml, at, bytes);
        }
        Need(at, 2);
        int units = BinaryPrimitives.ReadUInt16LittleEndian(_xml.AsSpan(at));
        at += 2;
        if ((units & 0x8000) != 0)
        {
            Need(at, 2);
            units = ((units & 0x7FFF) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(_xml.AsSpan(at));
            at += 2;
        }
        Need(at, 2L * units);
        return Encoding.Unicode.GetString(_xml, at, 2 * units);
    }

    // One byte, or two with the high bit of the first set: a 15-bit length.
    private int Utf8Length(ref int at)
    {
        Need(at, 1);
        int length = _xml[at++];
        if ((length & 0x80) != 0)
        {
            Need(at, 1);
            length = ((length & 0x7F) << 8) | _xml[at++];
        }
        return length;
    }

    private void Need(int at, long bytes)
    {
        if (bytes > _dataEnd - at)
        {
            throw ApkException.BadManifest("字符串越界");
        }
    }
}
