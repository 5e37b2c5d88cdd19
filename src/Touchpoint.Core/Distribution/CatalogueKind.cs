namespace Touchpoint.Core.Distribution;

/// <summary>What can be distributed (R7); each kind allows its own actions and needs its own device stack (R8).</summary>
public enum CatalogueKind
{
    /// <summary>合作安卓应用: install, upgrade, uninstall, boot start.</summary>
    PartnerApp = 1,
    /// <summary>支付宝小程序 (from 开放平台 > 我的应用): install, uninstall.</summary>
    MiniProgram = 2,
    /// <summary>支付宝轻应用: install only — uninstall is still being built (开发中).</summary>
    LightApp = 3,
    /// <summary>支付宝官方安卓应用: upgrade only.</summary>
    OfficialApp = 4,
    /// <summary>系统升级, per manufacturer and model: upgrade only.</summary>
    SystemImage = 5,
}

/// <summary>What a distribution task does on each device.</summary>
public enum DistributionAction
{
    Install = 1,
    Upgrade = 2,
    Uninstall = 3,
    /// <summary>设置开机启动 for an installed Android app (Ant OS only).</summary>
    SetBootStart = 4,
    /// <summary>Batch 重启 (远程管理 on a fleet).</summary>
    Restart = 5,
    /// <summary>Batch 恢复出厂设置.</summary>
    FactoryReset = 6,
}

public static class CatalogueNames
{
    public static string Chinese(this CatalogueKind kind) => kind switch
    {
        CatalogueKind.PartnerApp => "合作安卓应用",
        CatalogueKind.MiniProgram => "小程序",
        CatalogueKind.LightApp => "轻应用",
        CatalogueKind.OfficialApp => "支付宝官方安卓应用",
        CatalogueKind.SystemImage => "系统升级",
        _ => kind.ToString(),
    };

    public static string Chinese(this DistributionAction action) => action switch
    {
        DistributionAction.Install => "安装",
        DistributionAction.Upgrade => "升级",
        DistributionAction.Uninstall => "卸载",
        DistributionAction.SetBootStart => "设置开机启动",
        DistributionAction.Restart => "重启",
        DistributionAction.FactoryReset => "恢复出厂设置",
        _ => action.ToString(),
    };

    public static string Wire(this DistributionAction action) => action switch
    {
        DistributionAction.Install => "install",
        DistributionAction.Upgrade => "upgrade",
        DistributionAction.Uninstall => "uninstall",
        DistributionAction.SetBootStart => "boot_start",
        DistributionAction.Restart => "restart",
        DistributionAction.FactoryReset => "factory_reset",
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    public static string Wire(this CatalogueKind kind) => kind switch
    {
        CatalogueKind.PartnerApp => "android_app",
        CatalogueKind.MiniProgram => "mini_program",
        CatalogueKind.LightApp => "light_app",
        CatalogueKind.OfficialApp => "official_app",
        CatalogueKind.SystemImage => "system_image",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The actions a kind supports at all, whatever the device (R7).</summary>
    public static IReadOnlyList<DistributionAction> Actions(this CatalogueKind kind) => kind switch
    {
        CatalogueKind.PartnerApp => [DistributionAction.Install, DistributionAction.Upgrade, DistributionAction.Uninstall, DistributionAction.SetBootStart],
        CatalogueKind.MiniProgram => [DistributionAction.Install, DistributionAction.Uninstall],
        CatalogueKind.LightApp => [DistributionAction.Install],
        CatalogueKind.OfficialApp or CatalogueKind.SystemImage => [DistributionAction.Upgrade],
        _ => [],
    };

    /// <summary>Android packages are read from an APK; the other kinds are bundles the platform does not parse.</summary>
    public static bool IsApk(this CatalogueKind kind) => kind is CatalogueKind.PartnerApp or CatalogueKind.OfficialApp;

    /// <summary>The package a device lists for an app that is not an APK (mini-programs and light apps run inside the IoT SDK).</summary>
    public static string DevicePackage(CatalogueKind kind, string appId, string? apkPackage) => kind switch
    {
        CatalogueKind.MiniProgram => $"mini:{appId}",
        CatalogueKind.LightApp => $"light:{appId}",
        CatalogueKind.SystemImage => SystemPackage,
        _ => apkPackage ?? throw new ArgumentNullException(nameof(apkPackage)),
    };

    /// <summary>How a terminal lists its system build in the app report.</summary>
    public const string SystemPackage = "android.system";
}
