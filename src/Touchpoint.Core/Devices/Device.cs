namespace Touchpoint.Core.Devices;

/// <summary>One payment terminal in the registry. Telemetry fields are written by the device channel.</summary>
public sealed class Device
{
    public long Id { get; set; }
    /// <summary>Serial number, normalized by <see cref="DeviceSn"/>; unique.</summary>
    public required string Sn { get; set; }
    public DeviceType Type { get; set; }
    public required string Model { get; set; }
    public long ManufacturerId { get; set; }
    public ShipmentChannel ShipmentChannel { get; set; }
    public TransferType TransferType { get; set; }

    /// <summary>设备所有者; null while the device sits in stock or in an unfinished onboarding.</summary>
    public long? OwnerId { get; set; }
    public DateTime? OwnershipUpdatedAtUtc { get; set; }

    /// <summary>
    /// Set while an onboarding or a purchase order holds the device, so two processes cannot hand the
    /// same device to two owners. Format: "onboarding:{entryId}" or "purchase:{orderId}".
    /// </summary>
    public string? HeldBy { get; set; }

    public string? AndroidVersion { get; set; }
    public bool AntOs { get; set; }
    public DeviceCapabilities Capabilities { get; set; }
    public DateTime? LastBootAtUtc { get; set; }
    public DateTime? LastOnlineAtUtc { get; set; }
    public string? LastOnlineLocation { get; set; }
    public NetworkType NetworkType { get; set; }
    /// <summary>Wi-Fi network name and signal (dBm) as last reported.</summary>
    public string? WifiSsid { get; set; }
    public int? WifiRssi { get; set; }
    /// <summary>The SIM in use (cellular): ICCID, carrier name and signal bars 0–4 as last reported.</summary>
    public string? SimIccid { get; set; }
    public string? SimOperator { get; set; }
    public int? CellularSignal { get; set; }
    public bool IsOnline { get; set; }
    /// <summary>The terminal's IANA time zone as reported (maintenance windows run on its clock); null = China time.</summary>
    public string? TimeZone { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    /// <summary>Simulation: the camera lens is dirty, so most face captures at this terminal fail with Z1010.</summary>
    public bool CameraDirty { get; set; }
    /// <summary>到账播报 (播报运营): whether the terminal says "支付宝到账 … 元" after a payment.</summary>
    public bool AnnouncementEnabled { get; set; } = true;
    /// <summary>The announcement's volume, 0–100.</summary>
    public int AnnouncementVolume { get; set; } = Broadcasts.AnnouncementSettings.DefaultVolume;

    /// <summary>管理员模式 (R18): off, clerks place the merchant's posters from the device; on, batch placement does.</summary>
    public bool PosterAdminMode { get; set; }
    /// <summary>
    /// Bumped on every change to the device's posters; the device reports the revision it shows. Starts at 1, so that a
    /// device reporting 0 (it never got a schedule) is always sent one, with its clerk QR code.
    /// </summary>
    public int PosterRevision { get; set; } = 1;
    /// <summary>What the device last reported showing (its schedule revision, the poster on air, since when).</summary>
    public int? ScreenRevision { get; set; }
    public long? ScreenPosterId { get; set; }
    public DateTime? ScreenSinceUtc { get; set; }
    public DateTime? ScreenReportedAtUtc { get; set; }

    /// <summary>Bumped on every ownership change; an optimistic concurrency token.</summary>
    public int Revision { get; set; }

    public List<DeviceApp> Apps { get; set; } = [];

    /// <summary>
    /// 主要应用版本 as one line ("支付宝IoT服务 3.2.7；云点收银台 1.5.0"), kept in step with <see cref="Apps"/> by
    /// <see cref="SetApps"/>. The list shows it and filters on it without touching the apps table.
    /// </summary>
    public string AppsSummary { get; set; } = "";

    /// <summary>Replaces the installed apps and their summary together.</summary>
    public void SetApps(IEnumerable<DeviceApp> apps)
    {
        Apps = apps.ToList();
        AppsSummary = SummarizeApps(Apps);
    }

    public const int AppsSummaryMaxLength = 512;

    public static string SummarizeApps(IEnumerable<DeviceApp> apps)
    {
        var text = string.Join("；", apps.OrderBy(a => a.AppName, StringComparer.Ordinal).Select(a => $"{a.AppName} {a.Version}"));
        return text.Length <= AppsSummaryMaxLength ? text : text[..AppsSummaryMaxLength];
    }
}

/// <summary>An app installed on a device with its version (主要应用版本).</summary>
public sealed class DeviceApp
{
    public long Id { get; set; }
    public long DeviceId { get; set; }
    public required string PackageName { get; set; }
    public required string AppName { get; set; }
    public required string Version { get; set; }
    /// <summary>Android versionCode as the device reports it; what distribution compares (names are free text).</summary>
    public long? VersionCode { get; set; }
    /// <summary>开机启动 is set for this app.</summary>
    public bool BootStart { get; set; }
}
