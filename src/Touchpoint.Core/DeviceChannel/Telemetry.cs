using System.Text.Json.Serialization;
using Touchpoint.Core.Devices;

namespace Touchpoint.Core.DeviceChannel;

/// <summary>What a device reports of itself (uplink <c>telemetry</c>, protocol v1). Every field is optional.</summary>
public sealed record Telemetry
{
    [JsonPropertyName("v")] public int Version { get; init; } = 1;
    [JsonPropertyName("boot_at")] public DateTimeOffset? BootAt { get; init; }
    [JsonPropertyName("location")] public string? Location { get; init; }
    [JsonPropertyName("os")] public string? AndroidVersion { get; init; }
    [JsonPropertyName("ant_os")] public bool? AntOs { get; init; }
    [JsonPropertyName("network")] public NetworkReport? Network { get; init; }
    [JsonPropertyName("apps")] public IReadOnlyList<AppReport>? Apps { get; init; }
    /// <summary>IANA time zone of the terminal's clock, e.g. Asia/Shanghai.</summary>
    [JsonPropertyName("tz")] public string? TimeZone { get; init; }
    /// <summary>What the software stack integrates: iot_sdk, xpaas, smile (R8).</summary>
    [JsonPropertyName("caps")] public IReadOnlyList<string>? Capabilities { get; init; }
}

public sealed record NetworkReport
{
    /// <summary>wifi, cellular or ethernet.</summary>
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("ssid")] public string? Ssid { get; init; }
    [JsonPropertyName("rssi")] public int? Rssi { get; init; }
    [JsonPropertyName("iccid")] public string? Iccid { get; init; }
    [JsonPropertyName("operator")] public string? Operator { get; init; }
    [JsonPropertyName("signal")] public int? Signal { get; init; }
}

public sealed record AppReport
{
    [JsonPropertyName("package")] public required string Package { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("version")] public required string Version { get; init; }
    [JsonPropertyName("version_code")] public long? VersionCode { get; init; }
    [JsonPropertyName("boot_start")] public bool? BootStart { get; init; }
}

/// <summary>Checks a report and applies it to the registry's device row.</summary>
public static class TelemetryRules
{
    public const int MaxApps = 200;
    // The registry's column sizes: a report that does not fit is refused at the door, never left to fail a batch write.
    public const int MaxPackage = 128, MaxAppName = 64, MaxAppVersion = 32, MaxLocation = 128, MaxAndroidVersion = 16, MaxTimeZone = 64;

    /// <summary>Null when the report is acceptable, else why not (logged with the SN).</summary>
    public static string? Problem(Telemetry report)
    {
        if (report.Version != 1)
        {
            return $"unsupported protocol version {report.Version}";
        }
        if (report.Apps is { Count: > MaxApps })
        {
            return $"too many apps ({report.Apps.Count} > {MaxApps})";
        }
        // Name and version may come as JSON null despite the contract; the registry's columns are NOT NULL.
        if (report.Apps?.Any(a => string.IsNullOrWhiteSpace(a.Package) || a.Name is null || a.Version is null || a.Package.Length > MaxPackage
                || a.Name.Length > MaxAppName || a.Version.Length > MaxAppVersion) == true)
        {
            return "an app entry is empty or too long";
        }
        if (report.Apps is { } list && list.Select(a => a.Package).Distinct(StringComparer.Ordinal).Count() != list.Count)
        {
            return "an app package is listed twice";
        }
        if (report.Location is { Length: > MaxLocation } || report.AndroidVersion is { Length: > MaxAndroidVersion })
        {
            return "a text field is too long";
        }
        if (report.TimeZone is { } tz && (tz.Length > MaxTimeZone || !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out _)))
        {
            return $"unknown time zone {tz}";
        }
        if (report.Capabilities?.Any(c => c is not ("iot_sdk" or "xpaas" or "smile")) == true)
        {
            return "unknown capability";
        }
        if (report.Network?.Type is { } type && type is not ("wifi" or "cellular" or "ethernet"))
        {
            return $"unknown network type {type}";
        }
        if (report.Network is { } n && (n.Ssid is { Length: > 64 } || n.Operator is { Length: > 32 } || (n.Iccid is { } iccid && !SimCards.IsIccid(iccid))
            || n.Signal is < 0 or > 4 || n.Rssi is < -150 or > 0))
        {
            return "network details out of range";
        }
        return null;
    }

    public static void Apply(Device device, Telemetry report, DateTime nowUtc)
    {
        device.LastOnlineAtUtc = nowUtc;
        if (report.BootAt is { } boot)
        {
            device.LastBootAtUtc = boot.UtcDateTime;
        }
        if (report.Location is { Length: > 0 } location)
        {
            device.LastOnlineLocation = location;
        }
        if (report.AndroidVersion is { Length: > 0 } os)
        {
            device.AndroidVersion = os;
        }
        if (report.AntOs is { } antOs)
        {
            device.AntOs = antOs;
        }
        if (report.TimeZone is { Length: > 0 } zone)
        {
            device.TimeZone = zone;
        }
        if (report.Capabilities is { } caps)
        {
            device.Capabilities = caps.Aggregate(DeviceCapabilities.None, (acc, c) => acc | c switch
            {
                "iot_sdk" => DeviceCapabilities.IotSdk,
                "xpaas" => DeviceCapabilities.XPaaS,
                "smile" => DeviceCapabilities.Smile,
                _ => DeviceCapabilities.None,
            });
        }
        if (report.Network is { Type: { } type } network)
        {
            device.NetworkType = type switch { "wifi" => NetworkType.Wifi, "cellular" => NetworkType.Cellular, _ => NetworkType.Ethernet };
            device.WifiSsid = type == "wifi" ? network.Ssid : null;
            device.WifiRssi = type == "wifi" ? network.Rssi : null;
            device.SimIccid = type == "cellular" ? network.Iccid : null;
            device.SimOperator = type == "cellular" ? network.Operator : null;
            device.CellularSignal = type == "cellular" ? network.Signal : null;
        }
        if (report.Apps is { } apps)
        {
            device.SetApps(apps.Select(a => new DeviceApp { DeviceId = device.Id, PackageName = a.Package, AppName = a.Name, Version = a.Version,
                VersionCode = a.VersionCode, BootStart = a.BootStart ?? false }));
        }
    }
}
