using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Touchpoint.Core.Distribution.Apk;

/// <summary>
/// Reads what an uploaded APK says about itself: package, version and signer, from the binary AndroidManifest.xml
/// and the v3/v2 signing block (v1 JAR signature as the fallback). Reads the central directory, the manifest and
/// the signing block only, never the whole file, since an APK may be hundreds of megabytes.
/// </summary>
public static partial class ApkReader
{
    private const string ManifestName = "AndroidManifest.xml";

    /// <summary>Reads <paramref name="apk"/>, which must be seekable (a file); the stream is left open.</summary>
    /// <exception cref="ApkException">The file is not a usable APK; the message is for the console.</exception>
    public static ApkInfo Read(Stream apk)
    {
        ArgumentNullException.ThrowIfNull(apk);
        if (!apk.CanSeek || !apk.CanRead)
        {
            throw new ArgumentException("The APK stream must be readable and seekable.", nameof(apk));
        }

        var centralDirectory = ZipEnd.CentralDirectoryOffset(apk);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(apk, ZipArchiveMode.Read, leaveOpen: true);
            _ = zip.Entries;
        }
        catch (InvalidDataException)
        {
            throw ApkException.NotZip();
        }
        using (zip)
        {
            var manifest = Manifest(zip);
            var package = manifest.Package is { Length: > 0 } p ? p : throw ApkException.NoPackage();
            if (package.Length > 255 || !PackageName().IsMatch(package))
            {
                throw ApkException.BadPackage();
            }
            var versionCode = manifest.VersionCode ?? throw ApkException.NoVersionCode();

            // Manifest before signature: an upload that is no app at all is told so, not that it is unsigned.
            var (scheme, certificates) = Signers(apk, zip, centralDirectory);

            return new ApkInfo(
                package,
                ((long)(manifest.VersionCodeMajor ?? 0) << 32) | (uint)versionCode,
                manifest.VersionName,
                manifest.MinSdk,
                manifest.TargetSdk,
                manifest.Label,
                certificates,
                scheme);
        }
    }

    // The strongest scheme present decides; a device checks v3 before v2 before v1 the same way.
    private static (string Scheme, IReadOnlyList<string> Certificates) Signers(Stream apk, ZipArchive zip, long? centralDirectory)
    {
        if (centralDirectory is { } offset && SigningBlock.Read(apk, offset) is { } block)
        {
            return block;
        }
        return JarSignature.Read(zip) is { } v1 ? ("v1", v1) : throw ApkException.Unsigned();
    }

    private static ManifestFields Manifest(ZipArchive zip)
    {
        var entries = zip.Entries.Where(e => e.FullName == ManifestName).Take(2).ToList();
        if (entries.Count == 0)
        {
            throw ApkException.NoManifest();
        }
        // Two entries of one name may be read differently by different tools; no reading of such a file is safe.
        if (entries.Count > 1)
        {
            throw ApkException.BadManifest("APK 中有重复的 AndroidManifest.xml");
        }
        byte[] xml;
        try
        {
            xml = ZipEntries.ReadBounded(entries[0], BinaryManifest.MaxBytes) ?? throw ApkException.BadManifest("文件超过 4 MB");
        }
        catch (InvalidDataException)
        {
            throw ApkException.BadManifest("压缩数据已损坏");
        }
        return BinaryManifest.Parse(xml);
    }

    // Android's rule: at least two dot-separated parts, each a letter then letters, digits or underscores.
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$", RegexOptions.CultureInvariant)]
    private static partial Regex PackageName();
}
