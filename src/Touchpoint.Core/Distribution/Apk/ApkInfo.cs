namespace Touchpoint.Core.Distribution.Apk;

/// <summary>
/// What an uploaded APK says about itself, read from the file and never from the upload form, so that the catalogue
/// can refuse a version whose package differs, whose versionCode does not increase or whose signing key changed.
/// </summary>
/// <param name="PackageName">The manifest's package attribute, checked against Android's naming rule.</param>
/// <param name="VersionCode">versionCodeMajor in the high 32 bits and versionCode in the low 32, as Android's long version code.</param>
/// <param name="VersionName">Null when absent or a resource reference.</param>
/// <param name="MinSdk">Null when uses-sdk is absent or names a preview codename instead of a number.</param>
/// <param name="TargetSdk">Like <paramref name="MinSdk"/>.</param>
/// <param name="Label">The application label when it is a plain string; null when it is a resource reference.</param>
/// <param name="CertificateSha256">Lowercase hex SHA-256 of each signer's first certificate (DER), as
/// <c>apksigner verify --print-certs</c> prints it.</param>
/// <param name="SignatureScheme">"v3", "v2" or "v1": the strongest scheme the certificates were read from.</param>
public sealed record ApkInfo(
    string PackageName,
    long VersionCode,
    string? VersionName,
    int? MinSdk,
    int? TargetSdk,
    string? Label,
    IReadOnlyList<string> CertificateSha256,
    string SignatureScheme);
