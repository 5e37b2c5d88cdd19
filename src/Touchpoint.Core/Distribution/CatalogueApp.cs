namespace Touchpoint.Core.Distribution;

/// <summary>An app in the distribution catalogue (应用分发), owned by the developer account that published it.</summary>
public sealed class CatalogueApp
{
    public long Id { get; set; }
    /// <summary>The public app ID people search by (R9); a mini-program keeps its 开放平台 app ID.</summary>
    public required string AppId { get; set; }
    public required string Name { get; set; }
    public CatalogueKind Kind { get; set; }
    public long OwnerId { get; set; }
    /// <summary>The Android package (from the first APK), or the package a device lists for a mini-program, light app or system.</summary>
    public string? PackageName { get; set; }
    /// <summary>SHA-256 of the signing certificate of the first APK: every later version must carry the same one.</summary>
    public string? CertificateSha256 { get; set; }
    /// <summary>开放: others can find it by its app ID and distribute it to their devices.</summary>
    public bool IsOpen { get; set; }
    /// <summary>For a system image: whose devices and which model it is built for.</summary>
    public long? ManufacturerId { get; set; }
    public string? Model { get; set; }
    public string? Description { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    /// <summary>Bumped with every version: concurrent uploads of one app cannot both pass the checks.</summary>
    public int Revision { get; set; }
    public List<AppVersion> Versions { get; set; } = [];
}

/// <summary>One uploaded version. Everything but the release notes comes from the file itself.</summary>
public sealed class AppVersion
{
    public long Id { get; set; }
    public long CatalogueAppId { get; set; }
    public long VersionCode { get; set; }
    public required string VersionName { get; set; }
    public int? MinSdk { get; set; }
    public int? TargetSdk { get; set; }
    /// <summary>For a system image: the Android version the device runs after the upgrade.</summary>
    public string? OsVersion { get; set; }
    public required string ArtifactSha256 { get; set; }
    public long SizeBytes { get; set; }
    public string? CertificateSha256 { get; set; }
    public string? SignatureScheme { get; set; }
    public string? FileName { get; set; }
    public string? ReleaseNotes { get; set; }
    public long CreatedById { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}

/// <summary>收藏: an open app an account found by ID and keeps for next time (R9).</summary>
public sealed class AppFavorite
{
    public long AccountId { get; set; }
    public long CatalogueAppId { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}
