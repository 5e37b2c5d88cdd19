namespace Touchpoint.Core.Distribution.Apk;

/// <summary>The raw values found in AndroidManifest.xml, before the reader decides which are required.</summary>
internal sealed record ManifestFields(
    string? Package,
    int? VersionCode,
    int? VersionCodeMajor,
    string? VersionName,
    int? MinSdk,
    int? TargetSdk,
    string? Label);
