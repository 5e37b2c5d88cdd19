using System.Text.Json.Serialization;

namespace Touchpoint.Core.Distribution;

/// <summary>
/// Downlink <c>down/job</c> (protocol v1): one target of a distribution task. The device runs each (id, attempt) once,
/// downloads <see cref="Url"/> with range requests, checks <see cref="Sha256"/>, installs and reports on <c>up/job</c>.
/// </summary>
public sealed record JobMessage
{
    [JsonPropertyName("v")] public int Version { get; init; } = 1;
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("attempt")] public int Attempt { get; init; }
    /// <summary>install, upgrade, uninstall, boot_start.</summary>
    [JsonPropertyName("action")] public required string Action { get; init; }
    /// <summary>android_app, mini_program, light_app, official_app, system_image.</summary>
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("app_id")] public required string AppId { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("package")] public required string Package { get; init; }
    [JsonPropertyName("version_code")] public long? VersionCode { get; init; }
    [JsonPropertyName("version_name")] public string? VersionName { get; init; }
    [JsonPropertyName("min_sdk")] public int? MinSdk { get; init; }
    [JsonPropertyName("cert_sha256")] public string? CertificateSha256 { get; init; }
    /// <summary>For a system image: the Android version after the reboot.</summary>
    [JsonPropertyName("os_version")] public string? OsVersion { get; init; }
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("sha256")] public string? Sha256 { get; init; }
    [JsonPropertyName("size")] public long? Size { get; init; }
    [JsonPropertyName("boot_start")] public bool BootStart { get; init; }
    [JsonPropertyName("expires_at")] public DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>Uplink <c>up/job</c>: where a job is. <c>installed</c> is a claim; the app list that follows is the proof.</summary>
public sealed record JobReport
{
    [JsonPropertyName("v")] public int Version { get; init; } = 1;
    [JsonPropertyName("id")] public long Id { get; init; }
    [JsonPropertyName("attempt")] public int Attempt { get; init; }
    /// <summary>downloading, downloaded, installing, installed, failed.</summary>
    [JsonPropertyName("state")] public required string State { get; init; }
    [JsonPropertyName("progress")] public int? Progress { get; init; }
    /// <summary>With failed: a <see cref="FailureReason"/> wire code.</summary>
    [JsonPropertyName("reason")] public string? Reason { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    /// <summary>With installed: the boot the device is running now (a system image is proven by a later one).</summary>
    [JsonPropertyName("boot_at")] public DateTimeOffset? BootAt { get; init; }

    public const int MaxMessageLength = 500;

    /// <summary>Null when acceptable, else why not.</summary>
    public string? Problem() =>
        Version != 1 ? $"job report version {Version} is not 1"
        : State is not ("downloading" or "downloaded" or "installing" or "installed" or "failed") ? $"unknown job state {State}"
        : Progress is < 0 or > 100 ? "progress out of range"
        : Message is { Length: > MaxMessageLength } ? "message too long"
        : Reason is { Length: > 64 } ? "reason too long"
        : null;
}
