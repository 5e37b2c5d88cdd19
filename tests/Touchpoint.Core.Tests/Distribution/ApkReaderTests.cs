using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Touchpoint.Core.Distribution.Apk;
using Touchpoint.Tests.Apk;

namespace Touchpoint.Core.Tests.Distribution;

public sealed class ApkReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("touchpoint-apk-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathFor(string name) => Path.Combine(_folder, name);

    private static ApkInfo Read(string path)
    {
        using var file = File.OpenRead(path);
        return ApkReader.Read(file);
    }

    private static ApkInfo Read(byte[] apk) => ApkReader.Read(new MemoryStream(apk));

    private static byte[] UnsignedZip(byte[]? manifest)
    {
        var zip = new MemoryStream();
        TestApk.WriteZip(zip, manifest);
        return zip.ToArray();
    }

    private string SignedWithManifest(byte[] manifest, int minSdk = 24)
    {
        var unsigned = PathFor("custom.unsigned.apk");
        File.WriteAllBytes(unsigned, UnsignedZip(manifest));
        var signed = PathFor("custom.apk");
        TestApk.Sign(unsigned, signed, minSdk);
        return signed;
    }

    [Fact]
    public void ReadsPackageVersionSdkAndLabelFromABuiltApk()
    {
        var path = PathFor("app.apk");
        TestApk.Build(path, "cn.touchpoint.cashier", 42, "1.4.2-rc1", minSdk: 24, targetSdk: 34);

        var info = Read(path);

        Assert.Equal("cn.touchpoint.cashier", info.PackageName);
        Assert.Equal(42, info.VersionCode);
        Assert.Equal("1.4.2-rc1", info.VersionName);
        Assert.Equal(24, info.MinSdk);
        Assert.Equal(34, info.TargetSdk);
        Assert.Equal(TestApk.Label, info.Label);
    }

    [Fact]
    public void CertificateDigestIsWhatApksignerAndKeytoolPrint()
    {
        var path = PathFor("app.apk");
        TestApk.Build(path, "cn.touchpoint.cashier", 1, "1.0", minSdk: 24);

        var info = Read(path);

        var verified = TestApk.Verify(path);
        Assert.Equal(verified.CertificateSha256, info.CertificateSha256);
        Assert.Equal([TestApk.CertificateSha256("dev")], info.CertificateSha256);
    }

    [Fact]
    public void TwoKeysGiveTwoDigestsAndOneKeyAlwaysTheSame()
    {
        TestApk.Build(PathFor("dev1.apk"), "cn.touchpoint.cashier", 1, "1.0", minSdk: 24, keyAlias: "dev");
        TestApk.Build(PathFor("dev2.apk"), "cn.touchpoint.cashier", 2, "1.1", minSdk: 24, keyAlias: "dev");
        TestApk.Build(PathFor("other.apk"), "cn.touchpoint.cashier", 3, "1.2", minSdk: 24, keyAlias: "other");

        var dev = Read(PathFor("dev1.apk")).CertificateSha256.Single();
        Assert.Equal(dev, Read(PathFor("dev2.apk")).CertificateSha256.Single());
        var other = Read(PathFor("other.apk")).CertificateSha256.Single();
        Assert.NotEqual(dev, other);
        Assert.Equal(TestApk.CertificateSha256("other"), other);
    }

    [Theory]
    [InlineData(21)]
    [InlineData(24)]
    [InlineData(28)]
    [InlineData(33)]
    public void ReadsApksignersDefaultSigningAtEveryMinSdkFromTheV3Block(int minSdk)
    {
        var path = PathFor("app.apk");
        TestApk.Build(path, "cn.touchpoint.cashier", 7, "2.0", minSdk);

        var info = Read(path);

        // apksigner 31 writes v1, v2 and v3 at any min SDK; it verifies (and says so) only what that SDK needs.
        var verified = TestApk.Verify(path);
        Assert.Contains("v3", verified.Schemes);
        Assert.Equal("v3", info.SignatureScheme);
        Assert.Equal(verified.CertificateSha256, info.CertificateSha256);
        Assert.Equal(minSdk, info.MinSdk);
    }

    [Theory]
    [InlineData(19, new[] { "v1" }, "v1")]
    [InlineData(21, new[] { "v1", "v2" }, "v2")]
    [InlineData(24, new[] { "v2" }, "v2")]
    [InlineData(28, new[] { "v3" }, "v3")]
    [InlineData(21, new[] { "v1", "v3" }, "v3")]
    public void ReportsTheStrongestSchemeTheApkCarries(int minSdk, string[] schemes, string strongest)
    {
        var unsigned = PathFor("app.unsigned.apk");
        TestApk.Unsigned(unsigned, "cn.touchpoint.legacy", 3, "0.3", minSdk);
        var path = PathFor("app.apk");
        TestApk.Sign(unsigned, path, minSdk, "other", schemes);
        var verified = TestApk.Verify(path);
        Assert.Contains(strongest, verified.Schemes);

        var info = Read(path);

        Assert.Equal(strongest, info.SignatureScheme);
        Assert.Equal(verified.CertificateSha256, info.CertificateSha256);
        Assert.Equal([TestApk.CertificateSha256("other")], info.CertificateSha256);
    }

    [Fact]
    public void UnsignedApkIsRefused()
    {
        var path = PathFor("app.apk");
        TestApk.Unsigned(path, "cn.touchpoint.cashier", 1, "1.0", minSdk: 24);

        var e = Assert.Throws<ApkException>(() => Read(path));

        Assert.Equal("unsigned", e.Code);
        Assert.Equal("APK 未签名：缺少 v1/v2/v3 签名", e.Message);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("random")]
    [InlineData("empty")]
    [InlineData("zip-tail-only")]
    public void AnythingButAZipIsRefusedAsNotZip(string kind)
    {
        var bytes = kind switch
        {
            "text" => "这不是 APK，只是一个文本文件。\nversionCode=1\n"u8.ToArray(),
            "random" => RandomBytes(256 * 1024, seed: 1),
            "empty" => [],
            // An end record whose central directory lies past it.
            _ => [.. RandomBytes(100, seed: 2), 0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0, 0x10, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0],
        };

        var e = Assert.Throws<ApkException>(() => Read(bytes));

        Assert.Equal("not_zip", e.Code);
        Assert.Equal("文件不是有效的 APK（不是 ZIP 压缩包）", e.Message);
    }

    [Fact]
    public void ZipWithoutManifestIsRefused()
    {
        var e = Assert.Throws<ApkException>(() => Read(UnsignedZip(manifest: null)));

        Assert.Equal("no_manifest", e.Code);
    }

    [Fact]
    public void TwoManifestEntriesAreRefused()
    {
        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var package in new[] { "cn.touchpoint.cashier", "cn.touchpoint.other" })
            {
                using var entry = archive.CreateEntry("AndroidManifest.xml").Open();
                entry.Write(TestApk.Manifest(package, 1, "1.0", 24));
            }
        }

        var e = Assert.Throws<ApkException>(() => Read(zip.ToArray()));

        Assert.Equal("bad_manifest", e.Code);
    }

    [Fact]
    public void EveryTruncationOfTheManifestIsABadManifest()
    {
        var manifest = TestApk.Manifest("cn.touchpoint.cashier", 5, "1.0", 24, 34);
        for (var length = 0; length < manifest.Length; length++)
        {
            var e = Assert.Throws<ApkException>(() => Read(UnsignedZip(manifest[..length])));
            Assert.True(e.Code == "bad_manifest", $"truncated to {length} bytes: {e.Code} {e.Message}");
            Assert.StartsWith("AndroidManifest.xml 无法解析：", e.Message);
        }
    }

    [Fact]
    public void GarbageManifestIsABadManifest()
    {
        var e = Assert.Throws<ApkException>(() => Read(UnsignedZip(RandomBytes(4096, seed: 3))));

        Assert.Equal("bad_manifest", e.Code);
    }

    [Fact]
    public void CorruptedManifestBytesNeverThrowAnythingButApkException()
    {
        var manifest = TestApk.Manifest("cn.touchpoint.cashier", 5, "1.0", 24, 34);
        var random = new Random(4);
        for (var round = 0; round < 3000; round++)
        {
            var corrupted = (byte[])manifest.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                corrupted[random.Next(corrupted.Length)] = (byte)random.Next(256);
            }
            try
            {
                Read(UnsignedZip(corrupted));
            }
            catch (ApkException)
            {
                // Refused, or read and then refused as unsigned: both are answers for the console.
            }
        }
    }

    [Fact]
    public void SigningBlockWithAnImpossibleSizeIsRefused()
    {
        var path = PathFor("app.apk");
        TestApk.Build(path, "cn.touchpoint.cashier", 1, "1.0", minSdk: 24);
        var apk = File.ReadAllBytes(path);
        var magic = apk.AsSpan().LastIndexOf("APK Sig Block 42"u8);
        BinaryPrimitives.WriteUInt64LittleEndian(apk.AsSpan(magic - 8), 1UL << 40);

        var e = Assert.Throws<ApkException>(() => Read(apk));

        Assert.Equal("bad_signature", e.Code);
    }

    [Theory]
    [InlineData("v3")]
    [InlineData("v1")]
    public void CorruptedApkBytesNeverThrowAnythingButApkException(string scheme)
    {
        var unsigned = PathFor("app.unsigned.apk");
        TestApk.Unsigned(unsigned, "cn.touchpoint.cashier", 1, "1.0", minSdk: 21);
        var path = PathFor("app.apk");
        TestApk.Sign(unsigned, path, 21, "dev", scheme);
        var apk = File.ReadAllBytes(path);
        // Mostly where the reader's own parsing is: signing block or JAR signature, central directory, end record.
        var signatures = apk.AsSpan().IndexOf(scheme == "v1" ? "META-INF/"u8 : "APK Sig Block 42"u8) - 2048;
        var random = new Random(5);
        for (var round = 0; round < 3000; round++)
        {
            var corrupted = (byte[])apk.Clone();
            var from = round % 4 == 0 ? 0 : Math.Max(0, signatures);
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                corrupted[random.Next(from, corrupted.Length)] = (byte)random.Next(256);
            }
            try
            {
                Read(corrupted);
            }
            catch (ApkException)
            {
            }
        }
    }

    [Fact]
    public void StringPoolWithAnAbsurdCountIsABadManifest()
    {
        var manifest = TestApk.Manifest("cn.touchpoint.cashier", 5, "1.0", 24, 34);
        BinaryPrimitives.WriteUInt32LittleEndian(manifest.AsSpan(8 + 8), 0x7fff_ffff); // string pool's stringCount

        var e = Assert.Throws<ApkException>(() => Read(UnsignedZip(manifest)));

        Assert.Equal("bad_manifest", e.Code);
    }

    [Fact]
    public void ChunkRunningPastTheFileIsABadManifest()
    {
        var manifest = TestApk.Manifest("cn.touchpoint.cashier", 5, "1.0", 24, 34);
        BinaryPrimitives.WriteUInt32LittleEndian(manifest.AsSpan(8 + 4), (uint)manifest.Length); // string pool's size

        var e = Assert.Throws<ApkException>(() => Read(UnsignedZip(manifest)));

        Assert.Equal("bad_manifest", e.Code);
    }

    [Fact]
    public void ManifestOverFourMegabytesIsRefusedWithoutReadingIt()
    {
        var manifest = TestApk.Manifest("cn.touchpoint.cashier", 5, "1.0", 24, 34);
        var huge = new byte[5 * 1024 * 1024];
        manifest.CopyTo(huge, 0);

        var e = Assert.Throws<ApkException>(() => Read(UnsignedZip(huge)));

        Assert.Equal("bad_manifest", e.Code);
    }

    [Fact]
    public void ManifestWithoutPackageOrVersionCodeIsRefused()
    {
        var noPackage = Assert.Throws<ApkException>(() => Read(UnsignedZip(TestApk.Manifest(null, 5, "1.0", 24))));
        Assert.Equal("no_package", noPackage.Code);

        var badPackage = Assert.Throws<ApkException>(() => Read(UnsignedZip(TestApk.Manifest("../../etc", 5, "1.0", 24))));
        Assert.Equal("bad_package", badPackage.Code);

        var noVersion = Assert.Throws<ApkException>(() => Read(UnsignedZip(TestApk.Manifest("cn.touchpoint.cashier", null, "1.0", 24))));
        Assert.Equal("no_version_code", noVersion.Code);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void ReadsUtf8AndUtf16PoolsAndNamelessAttributesByResourceId(bool utf8, bool nameless)
    {
        var manifest = TestApk.Manifest("cn.touchpoint.scale", 9, "3.1 测试版", 26, 30, utf8: utf8, namelessAttributes: nameless);

        var info = Read(SignedWithManifest(manifest));

        Assert.Equal(("cn.touchpoint.scale", 9L, "3.1 测试版", 26, 30, TestApk.Label),
            (info.PackageName, info.VersionCode, info.VersionName, info.MinSdk, info.TargetSdk, info.Label));
    }

    [Fact]
    public void LongStringsUseTheTwoUnitLengthForm()
    {
        var label = string.Concat(Enumerable.Repeat("收银台", 100)); // 300 chars, 900 UTF-8 bytes: past one-byte lengths
        foreach (var utf8 in new[] { false, true })
        {
            var manifest = TestApk.Manifest("cn.touchpoint.cashier", 1, "1.0", 24, label: label, utf8: utf8);
            Assert.Equal(label, Read(SignedWithManifest(manifest)).Label);
        }
    }

    [Fact]
    public void LabelThatIsAResourceReferenceIsReportedAsNull()
    {
        var manifest = TestApk.Manifest("cn.touchpoint.cashier", 1, "1.0", 24, labelResource: 0x7f0b0001);

        Assert.Null(Read(SignedWithManifest(manifest)).Label);
    }

    [Fact]
    public void VersionCodeMajorIsTheHighHalfOfTheVersionCode()
    {
        var path = PathFor("app.apk");
        TestApk.Build(path, "cn.touchpoint.cashier", (3L << 32) | 17, "3.0", minSdk: 28);

        Assert.Equal((3L << 32) | 17, Read(path).VersionCode);
    }

    [Fact]
    public void ReadsAFiftyMegabyteApkWithBoundedMemory()
    {
        var path = PathFor("big.apk");
        TestApk.Build(path, "cn.touchpoint.bigapp", 12, "12.0", minSdk: 24, payloadBytes: 50 * 1024 * 1024);
        Assert.True(new FileInfo(path).Length > 50 * 1024 * 1024);
        Read(path); // warm up: JIT and first-use allocations are not the reader's

        var before = GC.GetAllocatedBytesForCurrentThread();
        var info = Read(path);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("cn.touchpoint.bigapp", info.PackageName);
        // About 90 KB in practice, most of it the end-of-central-directory search window.
        Assert.True(allocated < 1024 * 1024, $"reading allocated {allocated:N0} bytes");
    }

    [Fact]
    public void AgreesWithAdbkitApkreaderOnTheManifest()
    {
        var path = PathFor("app.apk");
        TestApk.Build(path, "cn.touchpoint.crosscheck", 2026031, "2026.3.1", minSdk: 23, targetSdk: 35);

        var info = Read(path);
        using var node = JsonDocument.Parse(AdbkitManifestJson(path));
        var manifest = node.RootElement;

        Assert.Equal(manifest.GetProperty("package").GetString(), info.PackageName);
        Assert.Equal(manifest.GetProperty("versionCode").GetInt64(), info.VersionCode);
        Assert.Equal(manifest.GetProperty("versionName").GetString(), info.VersionName);
        Assert.Equal(manifest.GetProperty("usesSdk").GetProperty("minSdkVersion").GetInt32(), info.MinSdk);
        Assert.Equal(manifest.GetProperty("usesSdk").GetProperty("targetSdkVersion").GetInt32(), info.TargetSdk);
        Assert.Equal(manifest.GetProperty("label").GetString(), info.Label);
        Assert.Equal("cn.touchpoint.crosscheck", info.PackageName);
    }

    private static string AdbkitManifestJson(string apk)
    {
        var folder = NodeFolder();
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@devicefarmer", "adbkit-apkreader")))
        {
            Assert.Fail($"@devicefarmer/adbkit-apkreader is not installed: run `npm ci` in {folder} (./test.sh does).");
        }
        var start = new ProcessStartInfo("node", ["apkinfo.mjs", apk])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "node apkinfo.mjs took over a minute");
        Assert.True(process.ExitCode == 0, $"node apkinfo.mjs failed: {error.Result}");
        return output.Result;
    }

    private static string NodeFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Touchpoint.slnx")))
            {
                return Path.Combine(dir.FullName, "tests", "Touchpoint.Server.Tests", "node");
            }
        }
        throw new InvalidOperationException("Touchpoint.slnx not found above " + AppContext.BaseDirectory);
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
