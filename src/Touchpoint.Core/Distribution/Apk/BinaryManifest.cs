using System.Buffers.Binary;
using System.Globalization;

namespace Touchpoint.Core.Distribution.Apk;

/// <summary>
/// Reads the few fields the catalogue needs from a compiled AndroidManifest.xml (Android binary XML). The file comes
/// from an untrusted upload, so every length and index is checked against its chunk before it is used.
/// </summary>
internal static class BinaryManifest
{
    public const int MaxBytes = 4 * 1024 * 1024;

    private const ushort XmlType = 0x0003;
    private const ushort StringPoolType = 0x0001;
    private const ushort ResourceMapType = 0x0180;
    private const ushort StartElementType = 0x0102;
    private const ushort EndElementType = 0x0103;
    // Namespace (0x0100/0x0101) and CDATA (0x0104) chunks carry nothing needed: attributes name their namespace URI.

    private const byte TypeReference = 0x01;
    private const byte TypeString = 0x03;
    private const byte TypeFirstInt = 0x10; // TYPE_INT_DEC; TYPE_INT_HEX is 0x11
    private const byte TypeLastInt = 0x1f;

    private const string AndroidNamespace = "http://schemas.android.com/apk/res/android";

    private enum Field { None, Package, VersionCode, VersionCodeMajor, VersionName, MinSdk, TargetSdk, Label }

    public static ManifestFields Parse(byte[] xml)
    {
        if (xml.Length < 8 || BinaryPrimitives.ReadUInt16LittleEndian(xml) != XmlType)
        {
            throw ApkException.BadManifest("不是二进制 XML");
        }
        var (headerSize, size) = ChunkBounds(xml, 0, xml.Length);

        StringPool? strings = null;
        var resourceIds = ReadOnlyMemory<byte>.Empty;
        var fields = new Dictionary<Field, (byte Type, uint Raw, uint Data)>();
        var depth = 0;
        bool sawManifest = false, sawUsesSdk = false, sawApplication = false;

        for (var at = headerSize; at < size;)
        {
            var (chunkHeader, chunkSize) = ChunkBounds(xml, at, size);
            switch (BinaryPrimitives.ReadUInt16LittleEndian(xml.AsSpan(at)))
            {
                case StringPoolType when strings is null:
                    strings = new StringPool(xml, at, chunkHeader, chunkSize);
                    break;
                case ResourceMapType when resourceIds.IsEmpty:
                    resourceIds = xml.AsMemory(at + chunkHeader, (chunkSize - chunkHeader) / 4 * 4);
                    break;
                case StartElementType:
                    if (strings is null)
                    {
                        throw ApkException.BadManifest("元素出现在字符串池之前");
                    }
                    // Only the root and its children matter; deeper elements are not decoded at all.
                    if (depth <= 1)
                    {
                        var element = new Element(xml, at, chunkHeader, chunkSize);
                        var name = strings.Get(element.Name);
                        bool wanted;
                        if (depth == 0)
                        {
                            if (name != "manifest")
                            {
                                throw ApkException.BadManifest("根元素不是 manifest");
                            }
                            wanted = !sawManifest;
                            sawManifest = true;
                        }
                        else if (name == "uses-sdk")
                        {
                            wanted = !sawUsesSdk;
                            sawUsesSdk = true;
                        }
                        else if (name == "application")
                        {
                            wanted = !sawApplication;
                            sawApplication = true;
                        }
                        else
                        {
                            wanted = false;
                        }
                        if (wanted)
                        {
                            Collect(element, strings, resourceIds.Span, name!, fields);
                        }
                    }
                    depth++;
                    break;
                case EndElementType:
                    if (--depth < 0)
                    {
                        throw ApkException.BadManifest("元素结束标记多余");
                    }
                    break;
            }
            at += chunkSize;
        }
        if (!sawManifest)
        {
            throw ApkException.BadManifest("缺少 manifest 元素");
        }
        if (depth != 0)
        {
            throw ApkException.BadManifest("元素未闭合");
        }

        return new ManifestFields(
            fields.TryGetValue(Field.Package, out var package) ? PackageText(package, strings!) : null,
            Int(fields, Field.VersionCode, strings!),
            Int(fields, Field.VersionCodeMajor, strings!),
            Text(fields, Field.VersionName, strings!),
            Int(fields, Field.MinSdk, strings!),
            Int(fields, Field.TargetSdk, strings!),
            Text(fields, Field.Label, strings!));
    }

    /// <summary>A chunk's header size and total size, refused when either runs past its parent.</summary>
    private static (int HeaderSize, int Size) ChunkBounds(byte[] xml, int at, int end)
    {
        if (end - at < 8)
        {
            throw ApkException.BadManifest("数据块截断");
        }
        var header = BinaryPrimitives.ReadUInt16LittleEndian(xml.AsSpan(at + 2));
        var size = BinaryPrimitives.ReadUInt32LittleEndian(xml.AsSpan(at + 4));
        if (header < 8 || size < header || size > (uint)(end - at))
        {
            throw ApkException.BadManifest("数据块长度越界");
        }
        return (header, (int)size);
    }

    private static void Collect(Element element, StringPool strings, ReadOnlySpan<byte> resourceIds, string elementName,
        Dictionary<Field, (byte, uint, uint)> fields)
    {
        for (var i = 0; i < element.AttributeCount; i++)
        {
            var attribute = element.Attribute(i);
            var ns = BinaryPrimitives.ReadUInt32LittleEndian(attribute);
            var nameIndex = BinaryPrimitives.ReadUInt32LittleEndian(attribute[4..]);
            var name = strings.Get(nameIndex);
            var id = nameIndex < resourceIds.Length / 4
                ? BinaryPrimitives.ReadUInt32LittleEndian(resourceIds[(4 * (int)nameIndex)..])
                : 0;
            var field = Identify(elementName, strings.Get(ns), name, id);
            // The first occurrence wins, as Android's attribute lookup returns the first match.
            if (field != Field.None && !fields.ContainsKey(field))
            {
                fields[field] = (attribute[15], BinaryPrimitives.ReadUInt32LittleEndian(attribute[8..]),
                    BinaryPrimitives.ReadUInt32LittleEndian(attribute[16..]));
            }
        }
    }

    // By name first; shrunk or obfuscated APKs may leave android: attribute names empty, and then the resource id
    // from the resource map (what the platform's full parser matches on) still says which attribute it is.
    private static Field Identify(string element, string? ns, string? name, uint resourceId)
    {
        var byName = (element, ns, name) switch
        {
            ("manifest", null or "", "package") => Field.Package,
            ("manifest", AndroidNamespace, "versionCode") => Field.VersionCode,
            ("manifest", AndroidNamespace, "versionCodeMajor") => Field.VersionCodeMajor,
            ("manifest", AndroidNamespace, "versionName") => Field.VersionName,
            ("uses-sdk", AndroidNamespace, "minSdkVersion") => Field.MinSdk,
            ("uses-sdk", AndroidNamespace, "targetSdkVersion") => Field.TargetSdk,
            ("application", AndroidNamespace, "label") => Field.Label,
            _ => Field.None,
        };
        if (byName != Field.None)
        {
            return byName;
        }
        return (element, resourceId) switch
        {
            ("manifest", 0x0101021b) => Field.VersionCode,
            ("manifest", 0x01010576) => Field.VersionCodeMajor,
            ("manifest", 0x0101021c) => Field.VersionName,
            ("uses-sdk", 0x0101020c) => Field.MinSdk,
            ("uses-sdk", 0x01010270) => Field.TargetSdk,
            ("application", 0x01010001) => Field.Label,
            _ => Field.None,
        };
    }

    // The platform reads package with getAttributeValue, which is the raw string.
    private static string? PackageText((byte Type, uint Raw, uint Data) value, StringPool strings) =>
        value.Raw != uint.MaxValue ? strings.Get(value.Raw)
        : value.Type == TypeString ? strings.Get(value.Data)
        : null;

    private static int? Int(Dictionary<Field, (byte Type, uint Raw, uint Data)> fields, Field field, StringPool strings)
    {
        if (!fields.TryGetValue(field, out var value))
        {
            return null;
        }
        if (value.Type is >= TypeFirstInt and <= TypeLastInt)
        {
            return (int)value.Data;
        }
        // A preview codename (minSdkVersion="P") or a reference says no number.
        return value.Type == TypeString
            && int.TryParse(strings.Get(value.Data), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;
    }

    private static string? Text(Dictionary<Field, (byte Type, uint Raw, uint Data)> fields, Field field, StringPool strings)
    {
        if (!fields.TryGetValue(field, out var value))
        {
            return null;
        }
        return value.Type switch
        {
            TypeString => strings.Get(value.Data),
            // An @string/ reference needs resources.arsc and a locale; the catalogue asks the developer instead.
            TypeReference => null,
            >= TypeFirstInt and <= TypeLastInt => ((int)value.Data).ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    /// <summary>A start-element chunk: element name and attribute records, bounds checked once.</summary>
    private readonly struct Element
    {
        private const int ExtensionSize = 20;
        private const int MinAttributeSize = 20;

        private readonly byte[] _xml;
        private readonly int _attributes;
        private readonly int _attributeSize;

        public uint Name { get; }
        public int AttributeCount { get; }

        public Element(byte[] xml, int chunk, int headerSize, int size)
        {
            if (headerSize < 16 || size - headerSize < ExtensionSize)
            {
                throw ApkException.BadManifest("元素数据块过短");
            }
            var extension = xml.AsSpan(chunk + headerSize, ExtensionSize);
            Name = BinaryPrimitives.ReadUInt32LittleEndian(extension[4..]);
            int attributeStart = BinaryPrimitives.ReadUInt16LittleEndian(extension[8..]);
            _attributeSize = BinaryPrimitives.ReadUInt16LittleEndian(extension[10..]);
            AttributeCount = BinaryPrimitives.ReadUInt16LittleEndian(extension[12..]);
            if (AttributeCount > 0
                && (_attributeSize < MinAttributeSize
                    || headerSize + attributeStart + (long)AttributeCount * _attributeSize > size))
            {
                throw ApkException.BadManifest("元素属性越界");
            }
            _xml = xml;
            _attributes = chunk + headerSize + attributeStart;
        }

        public ReadOnlySpan<byte> Attribute(int index) => _xml.AsSpan(_attributes + index * _attributeSize, MinAttributeSize);
    }
}
