using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Touchpoint.Tests.Apk;

/// <summary>
/// Builds real APKs for tests: a binary AndroidManifest.xml written here, zipped, then signed by the system's
/// apksigner with a keytool key. Self-contained (only the BCL, apksigner and keytool) so that other test projects
/// can link this file. The expected certificate digests come from keytool and apksigner, never from the reader
/// under test.
/// </summary>
public static class TestApk
{
    public const string Password = "touchpoint";
    public const string Label = "Touchpoint 测试应用";
    public const string AndroidNamespace = "http://schemas.android.com/apk/res/android";

    private const string Apksigner = "/usr/bin/apksigner";
    private const string Keytool = "keytool";

    private static readonly string KeyFolder = Path.Combine(Path.GetTempPath(), "touchpoint-test-apk-keys");
    private static readonly ConcurrentDictionary<string, Lazy<string>> Keystores = new();
    private static readonly ConcurrentDictionary<string, Lazy<string>> Digests = new();

    /// <summary>A signed APK; apksigner picks the schemes from <paramref name="minSdk"/> as it would for a release.</summary>
    public static void Build(string path, string package, long versionCode, string versionName, int minSdk,
        int payloadBytes = 1024, string keyAlias = "dev", int? targetSdk = null)
    {
        var unsigned = path + ".unsigned";
        try
        {
            Unsigned(unsigned, package, versionCode, versionName, minSdk, payloadBytes, targetSdk);
            Sign(unsigned, path, minSdk, keyAlias);
        }
        finally
        {
            File.Delete(unsigned);
        }
    }

    /// <summary>The same APK as <see cref="Build"/> but never signed.</summary>
    public static void Unsigned(string path, string package, long versionCode, string versionName, int minSdk,
        int payloadBytes = 1024, int? targetSdk = null)
    {
        using var file = File.Create(path);
        WriteZip(file, Manifest(package, versionCode, versionName, minSdk, targetSdk), payloadBytes);
    }

    /// <summary>An unsigned APK-shaped zip around any manifest bytes (null: no manifest entry at all).</summary>
    public static void WriteZip(Stream target, byte[]? manifest, int payloadBytes = 1024)
    {
        using var zip = new ZipArchive(target, ZipArchiveMode.Create, leaveOpen: true);
        if (manifest is not null)
        {
            using var entry = zip.CreateEntry("AndroidManifest.xml", CompressionLevel.Optimal).Open();
            entry.Write(manifest);
        }
        using (var dex = zip.CreateEntry("classes.dex", CompressionLevel.NoCompression).Open())
        {
            dex.Write("dex\n035\0"u8);
            dex.Write(new byte[104]);
        }
        // Stored, like the large assets of real payment apps; random so that nothing can shrink it.
        using var payload = zip.CreateEntry("assets/payload.bin", CompressionLevel.NoCompression).Open();
        var chunk = new byte[64 * 1024];
        for (var left = payloadBytes; left > 0; left -= chunk.Length)
        {
            var part = chunk.AsSpan(0, Math.Min(chunk.Length, left));
            Random.Shared.NextBytes(part);
            payload.Write(part);
        }
    }

    /// <summary>Signs <paramref name="unsignedPath"/> into <paramref name="signedPath"/> with the alias's key.</summary>
    /// <param name="schemes">Exactly these of "v1", "v2", "v3"; none: apksigner's defaults, which (31.0.2) are all
    /// three whatever the min SDK.</param>
    public static void Sign(string unsignedPath, string signedPath, int minSdk, string keyAlias = "dev", params string[] schemes)
    {
        List<string> args =
        [
            "sign", "--ks", Keystore(keyAlias), "--ks-pass", "pass:" + Password, "--ks-key-alias", keyAlias,
            "--min-sdk-version", minSdk.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // v4 goes to a separate .idsig file beside the APK, which a catalogue upload does not carry.
            "--v4-signing-enabled", "false",
        ];
        if (schemes.Length > 0)
        {
            foreach (var scheme in new[] { "v1", "v2", "v3" })
            {
                args.AddRange([$"--{scheme}-signing-enabled", schemes.Contains(scheme) ? "true" : "false"]);
            }
        }
        args.AddRange(["--out", signedPath, unsignedPath]);
        Run(Apksigner, args);
    }

    /// <summary>The alias's certificate SHA-256 as keytool prints it, lowercase hex without colons.</summary>
    public static string CertificateSha256(string keyAlias) => Digests.GetOrAdd(keyAlias, alias => new Lazy<string>(() =>
    {
        var listing = Run(Keytool, ["-J-Duser.language=en", "-J-Duser.country=US", "-list", "-v",
            "-keystore", Keystore(alias), "-storetype", "PKCS12", "-storepass", Password, "-alias", alias]);
        var match = Regex.Match(listing, @"SHA256:\s*([0-9A-Fa-f:]{95})");
        if (!match.Success)
        {
            throw new InvalidOperationException("keytool printed no SHA256 fingerprint:\n" + listing);
        }
        return match.Groups[1].Value.Replace(":", "").ToLowerInvariant();
    })).Value;

    /// <summary>What <c>apksigner verify -v --print-certs</c> says: the schemes it verified and each signer's digest.</summary>
    public static (IReadOnlySet<string> Schemes, IReadOnlyList<string> CertificateSha256) Verify(string apkPath)
    {
        var output = Run(Apksigner, ["verify", "-v", "--print-certs", apkPath]);
        var schemes = Regex.Matches(output, @"^Verified using (v\d) scheme \([^)]*\): true$", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToHashSet();
        var digests = Regex.Matches(output, @"^Signer #\d+ certificate SHA-256 digest: ([0-9a-f]{64})$", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).Distinct().ToList();
        return (schemes, digests);
    }

    /// <summary>
    /// A compiled AndroidManifest.xml, laid out as aapt2 does: the android: attribute names first in the string pool,
    /// each with its id in the resource map. Null arguments leave the attribute (or uses-sdk) out.
    /// </summary>
    /// <param name="namelessAttributes">Empty android: attribute names, as shrinking tools leave them; only the
    /// resource map then says which attribute is which.</param>
    /// <param name="labelResource">Make android:label a reference (@string/…) to this id instead of a string.</param>
    public static byte[] Manifest(string? package, long? versionCode, string? versionName, int? minSdk, int? targetSdk = null,
        string? label = Label, bool utf8 = false, bool namelessAttributes = false, uint? labelResource = null)
    {
        var strings = new List<string>();
        uint S(string value)
        {
            var i = strings.IndexOf(value);
            if (i < 0 || namelessAttributes && value.Length == 0)
            {
                strings.Add(value);
                i = strings.Count - 1;
            }
            return (uint)i;
        }
        (string Name, uint Id)[] androidAttributes =
        [
            ("versionCode", 0x0101021b), ("versionName", 0x0101021c), ("minSdkVersion", 0x0101020c),
            ("targetSdkVersion", 0x01010270), ("label", 0x01010001), ("versionCodeMajor", 0x01010576),
        ];
        var attributeName = androidAttributes.ToDictionary(a => a.Name, a => S(namelessAttributes ? "" : a.Name));
        var resourceMap = androidAttributes.Select(a => a.Id).ToArray();
        var prefix = S("android");
        var ns = S(AndroidNamespace);

        var body = new MemoryStream();
        Node(body, 0x0100, [prefix, ns]);
        var manifestAttributes = new List<byte[]>();
        if (versionCode is { } code)
        {
            manifestAttributes.Add(Attribute(ns, attributeName["versionCode"], uint.MaxValue, 0x10, (uint)code));
            if (code >> 32 != 0)
            {
                manifestAttributes.Add(Attribute(ns, attributeName["versionCodeMajor"], uint.MaxValue, 0x10, (uint)(code >> 32)));
            }
        }
        if (versionName is not null)
        {
            var value = S(versionName);
            manifestAttributes.Add(Attribute(ns, attributeName["versionName"], value, 0x03, value));
        }
        if (package is not null)
        {
            var value = S(package);
            manifestAttributes.Add(Attribute(uint.MaxValue, S("package"), value, 0x03, value));
        }
        StartElement(body, S("manifest"), manifestAttributes);
        if (minSdk is not null || targetSdk is not null)
        {
            var sdk = new List<byte[]>();
            if (minSdk is { } min)
            {
                sdk.Add(Attribute(ns, attributeName["minSdkVersion"], uint.MaxValue, 0x10, (uint)min));
            }
            if (targetSdk is { } target)
            {
                sdk.Add(Attribute(ns, attributeName["targetSdkVersion"], uint.MaxValue, 0x10, (uint)target));
            }
            var usesSdk = S("uses-sdk");
            StartElement(body, usesSdk, sdk);
            Node(body, 0x0103, [uint.MaxValue, usesSdk]);
        }
        var application = S("application");
        var applicationAttributes = new List<byte[]>();
        if (labelResource is { } reference)
        {
            applicationAttributes.Add(Attribute(ns, attributeName["label"], uint.MaxValue, 0x01, reference));
        }
        else if (label is not null)
        {
            var value = S(label);
            applicationAttributes.Add(Attribute(ns, attributeName["label"], value, 0x03, value));
        }
        StartElement(body, application, applicationAttributes);
        Node(body, 0x0103, [uint.MaxValue, application]);
        Node(body, 0x0103, [uint.MaxValue, S("manifest")]);
        Node(body, 0x0101, [prefix, ns]);

        var pool = StringPool(strings, utf8);
        var map = new byte[8 + 4 * resourceMap.Length];
        Header(map, 0x0180, 8, map.Length);
        for (var i = 0; i < resourceMap.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(map.AsSpan(8 + 4 * i), resourceMap[i]);
        }
        var xml = new byte[8 + pool.Length + map.Length + body.Length];
        Header(xml, 0x0003, 8, xml.Length);
        pool.CopyTo(xml, 8);
        map.CopyTo(xml, 8 + pool.Length);
        body.ToArray().CopyTo(xml, 8 + pool.Length + map.Length);
        return xml;
    }

    private static byte[] StringPool(List<string> strings, bool utf8)
    {
        var data = new MemoryStream();
        var offsets = new List<uint>();
        foreach (var s in strings)
        {
            offsets.Add((uint)data.Length);
            if (utf8)
            {
                var bytes = Encoding.UTF8.GetBytes(s);
                Utf8Length(data, s.Length);
                Utf8Length(data, bytes.Length);
                data.Write(bytes);
                data.WriteByte(0);
            }
            else
            {
                var length = new byte[2];
                BinaryPrimitives.WriteUInt16LittleEndian(length, checked((ushort)s.Length));
                data.Write(length);
                data.Write(Encoding.Unicode.GetBytes(s));
                data.Write([0, 0]);
            }
        }
        while (data.Length % 4 != 0)
        {
            data.WriteByte(0);
        }
        const int headerSize = 28;
        var stringsStart = headerSize + 4 * strings.Count;
        var chunk = new byte[stringsStart + data.Length];
        Header(chunk, 0x0001, headerSize, chunk.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(8), (uint)strings.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(12), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(16), utf8 ? 0x100u : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(20), (uint)stringsStart);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(24), 0);
        for (var i = 0; i < offsets.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(headerSize + 4 * i), offsets[i]);
        }
        data.ToArray().CopyTo(chunk, stringsStart);
        return chunk;
    }

    private static void Utf8Length(Stream data, int length)
    {
        if (length > 0x7F)
        {
            data.WriteByte((byte)(0x80 | (length >> 8)));
        }
        data.WriteByte((byte)length);
    }

    private static byte[] Attribute(uint ns, uint name, uint raw, byte type, uint data)
    {
        var attribute = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(attribute, ns);
        BinaryPrimitives.WriteUInt32LittleEndian(attribute.AsSpan(4), name);
        BinaryPrimitives.WriteUInt32LittleEndian(attribute.AsSpan(8), raw);
        BinaryPrimitives.WriteUInt16LittleEndian(attribute.AsSpan(12), 8);
        attribute[15] = type;
        BinaryPrimitives.WriteUInt32LittleEndian(attribute.AsSpan(16), data);
        return attribute;
    }

    private static void StartElement(MemoryStream body, uint name, List<byte[]> attributes)
    {
        var extension = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(extension, uint.MaxValue);
        BinaryPrimitives.WriteUInt32LittleEndian(extension.AsSpan(4), name);
        BinaryPrimitives.WriteUInt16LittleEndian(extension.AsSpan(8), 20);
        BinaryPrimitives.WriteUInt16LittleEndian(extension.AsSpan(10), 20);
        BinaryPrimitives.WriteUInt16LittleEndian(extension.AsSpan(12), (ushort)attributes.Count);
        Node(body, 0x0102, extension.Concat(attributes.SelectMany(a => a)).ToArray());
    }

    private static void Node(MemoryStream body, ushort type, uint[] fields)
    {
        var bytes = new byte[4 * fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), fields[i]);
        }
        Node(body, type, bytes);
    }

    // Every XML node has a 16-byte header: chunk header, line number, comment (none).
    private static void Node(MemoryStream body, ushort type, byte[] extension)
    {
        var node = new byte[16 + extension.Length];
        Header(node, type, 16, node.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(node.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(node.AsSpan(12), uint.MaxValue);
        extension.CopyTo(node, 16);
        body.Write(node);
    }

    private static void Header(byte[] chunk, ushort type, ushort headerSize, int size)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(chunk, type);
        BinaryPrimitives.WriteUInt16LittleEndian(chunk.AsSpan(2), headerSize);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)size);
    }

    /// <summary>
    /// The alias's PKCS12 keystore, made once and kept in the temp folder across runs. keytool writes a private
    /// file that is then moved into place, so parallel tests and test processes never see a half-written one.
    /// </summary>
    private static string Keystore(string alias)
    {
        if (!Regex.IsMatch(alias, "^[a-z0-9-]{1,32}$"))
        {
            throw new ArgumentException("Key aliases here are short lowercase names.", nameof(alias));
        }
        return Keystores.GetOrAdd(alias, a => new Lazy<string>(() =>
        {
            var path = Path.Combine(KeyFolder, a + ".p12");
            if (File.Exists(path))
            {
                return path;
            }
            Directory.CreateDirectory(KeyFolder);
            var scratch = Path.Combine(KeyFolder, $"{a}.{Guid.NewGuid():N}.tmp");
            try
            {
                Run(Keytool, ["-genkeypair", "-keystore", scratch, "-storetype", "PKCS12", "-storepass", Password,
                    "-alias", a, "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650", "-dname", "CN=" + a]);
                File.Move(scratch, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another test process made it first; its key is as good as ours.
            }
            finally
            {
                File.Delete(scratch);
            }
            return path;
        })).Value;
    }

    private static string Run(string program, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} took over two minutes");
        }
        var output = stdout.Result + stderr.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}:\n{output}");
        }
        return output;
    }
}
