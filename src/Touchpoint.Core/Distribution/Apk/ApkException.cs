namespace Touchpoint.Core.Distribution.Apk;

/// <summary>
/// An upload that is not a usable APK. <see cref="Code"/> is stable for the API and the tests;
/// <see cref="Exception.Message"/> is the Chinese text the console shows as is. Codes: not_zip, no_manifest,
/// bad_manifest, no_package, bad_package, no_version_code, unsigned, bad_signature.
/// </summary>
public sealed class ApkException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    internal static ApkException NotZip() => new("not_zip", "文件不是有效的 APK（不是 ZIP 压缩包）");
    internal static ApkException NoManifest() => new("no_manifest", "APK 中缺少 AndroidManifest.xml");
    internal static ApkException BadManifest(string reason) => new("bad_manifest", $"AndroidManifest.xml 无法解析：{reason}");
    internal static ApkException NoPackage() => new("no_package", "AndroidManifest.xml 缺少包名（package）");
    internal static ApkException BadPackage() => new("bad_package", "AndroidManifest.xml 中的包名格式不正确");
    internal static ApkException NoVersionCode() => new("no_version_code", "AndroidManifest.xml 缺少数字形式的 versionCode");
    internal static ApkException Unsigned() => new("unsigned", "APK 未签名：缺少 v1/v2/v3 签名");
    internal static ApkException BadSignature(string reason) => new("bad_signature", $"APK 签名无法解析：{reason}");
}
