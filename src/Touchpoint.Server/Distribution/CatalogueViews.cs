using Touchpoint.Core.Distribution;

namespace Touchpoint.Server.Distribution;

public sealed record AppVersionView(long Id, long VersionCode, string VersionName, int? MinSdk, int? TargetSdk, string? OsVersion,
    string Sha256, long SizeBytes, string? CertificateSha256, string? SignatureScheme, string? FileName, string? ReleaseNotes, DateTime CreatedAtUtc);

public sealed record CatalogueAppView(string AppId, string Name, CatalogueKind Kind, string KindName, string OwnerName, string? PackageName,
    string? CertificateSha256, bool IsOpen, bool IsMine, bool IsFavorite, string? Model, string? Description, DateTime CreatedAtUtc,
    IReadOnlyList<AppVersionView> Versions)
{
    public AppVersionView? Latest => Versions.Count == 0 ? null : Versions[0];
}

/// <summary>创建应用: name and kind; a mini-program names its 开放平台 app; a system image its manufacturer and model.</summary>
public sealed record NewCatalogueApp(string? Name, CatalogueKind Kind, string? Description = null, string? MiniProgramAppId = null,
    string? Model = null, long? ManufacturerId = null);

/// <summary>
/// What the uploader says of a version. For an APK only the release notes count — everything else is read from the
/// file; mini-programs, light apps and system images carry their version here.
/// </summary>
public sealed record VersionForm(string? ReleaseNotes = null, string? VersionName = null, long? VersionCode = null, string? OsVersion = null);
