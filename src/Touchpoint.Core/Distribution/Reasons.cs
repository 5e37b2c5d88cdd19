namespace Touchpoint.Core.Distribution;

/// <summary>Why a device is left out (已跳过), decided before anything is sent (R8).</summary>
public enum SkipReason
{
    NotAndroid = 1,
    NoIotSdk = 2,
    NoXPaaS = 3,
    NoSmile = 4,
    UninstallInDevelopment = 5,
    BootStartNeedsAntOs = 6,
    ActionNotSupported = 7,
    MinSdkTooHigh = 8,
    UnknownAndroidVersion = 9,
    WrongModel = 10,
    Downgrade = 11,
    AlreadyAtVersion = 12,
    NotInstalled = 13,
    OfflineTooLong = 14,
    NoPermission = 15,
    DuplicateInTask = 16,
}

/// <summary>Why a device failed (失败), reported by the device or decided by the platform.</summary>
public enum FailureReason
{
    InsufficientStorage = 1,
    SignatureMismatch = 2,
    IncompatibleAndroid = 3,
    ChecksumFailed = 4,
    NetworkLost = 5,
    UserInteractionRequired = 6,
    Timeout = 7,
    /// <summary>The device said it installed, but its app list never showed the version.</summary>
    NotVerified = 8,
    DownloadFailed = 9,
    InstallFailed = 10,
    CommandFailed = 11,
    Unknown = 99,
}

public static class ReasonTexts
{
    public static string Wire(this FailureReason reason) => reason switch
    {
        FailureReason.InsufficientStorage => "insufficient_storage",
        FailureReason.SignatureMismatch => "signature_mismatch",
        FailureReason.IncompatibleAndroid => "incompatible_android",
        FailureReason.ChecksumFailed => "checksum_failed",
        FailureReason.NetworkLost => "network_lost",
        FailureReason.UserInteractionRequired => "user_interaction_required",
        FailureReason.Timeout => "timeout",
        FailureReason.NotVerified => "not_verified",
        FailureReason.DownloadFailed => "download_failed",
        FailureReason.InstallFailed => "install_failed",
        FailureReason.CommandFailed => "command_failed",
        _ => "unknown",
    };

    public static FailureReason FailureFromWire(string? code) =>
        Enum.GetValues<FailureReason>().FirstOrDefault(r => r.Wire() == code, FailureReason.Unknown);

    public static string Wire(this SkipReason reason) => reason switch
    {
        SkipReason.NotAndroid => "not_android",
        SkipReason.NoIotSdk => "no_iot_sdk",
        SkipReason.NoXPaaS => "no_xpaas",
        SkipReason.NoSmile => "no_smile",
        SkipReason.UninstallInDevelopment => "uninstall_in_development",
        SkipReason.BootStartNeedsAntOs => "boot_start_needs_ant_os",
        SkipReason.ActionNotSupported => "action_not_supported",
        SkipReason.MinSdkTooHigh => "min_sdk_too_high",
        SkipReason.UnknownAndroidVersion => "unknown_android_version",
        SkipReason.WrongModel => "wrong_model",
        SkipReason.Downgrade => "downgrade",
        SkipReason.AlreadyAtVersion => "already_at_version",
        SkipReason.NotInstalled => "not_installed",
        SkipReason.OfflineTooLong => "offline_too_long",
        SkipReason.NoPermission => "no_permission",
        SkipReason.DuplicateInTask => "duplicate_in_task",
        _ => reason.ToString(),
    };

    public static string Chinese(this SkipReason reason) => reason switch
    {
        SkipReason.NotAndroid => "非安卓设备，不支持应用分发",
        SkipReason.NoIotSdk => "设备未集成 IoT SDK",
        SkipReason.NoXPaaS => "设备未集成 xPaaS，不能安装或卸载小程序",
        SkipReason.NoSmile => "设备未集成 Smile，不能安装轻应用",
        SkipReason.UninstallInDevelopment => "轻应用卸载能力开发中，暂不支持",
        SkipReason.BootStartNeedsAntOs => "设备未集成蚂蚁 OS，不支持设置应用开机启动",
        SkipReason.ActionNotSupported => "该类应用不支持此操作",
        SkipReason.MinSdkTooHigh => "设备安卓版本低于应用要求的最低版本（minSdk）",
        SkipReason.UnknownAndroidVersion => "设备未上报可识别的安卓版本",
        SkipReason.WrongModel => "系统升级包不适用于该厂商或型号",
        SkipReason.Downgrade => "设备上的版本更高，不支持降级",
        SkipReason.AlreadyAtVersion => "设备已是该版本",
        SkipReason.NotInstalled => "设备未安装该应用",
        SkipReason.OfflineTooLong => "设备离线时间超过任务允许的天数",
        SkipReason.NoPermission => "没有该设备的“应用分发”权限",
        SkipReason.DuplicateInTask => "设备在任务中重复",
        _ => reason.ToString(),
    };

    public static string Chinese(this FailureReason reason) => reason switch
    {
        FailureReason.InsufficientStorage => "设备存储空间不足",
        FailureReason.SignatureMismatch => "签名与设备上已安装的版本不一致",
        FailureReason.IncompatibleAndroid => "安卓版本不兼容",
        FailureReason.ChecksumFailed => "下载文件校验失败（SHA-256 不一致）",
        FailureReason.NetworkLost => "下载时网络中断",
        FailureReason.UserInteractionRequired => "安装需要在设备上手动确认",
        FailureReason.Timeout => "执行超时",
        FailureReason.NotVerified => "设备未上报新版本",
        FailureReason.DownloadFailed => "下载失败",
        FailureReason.InstallFailed => "安装失败",
        FailureReason.CommandFailed => "指令执行失败",
        _ => "未知错误",
    };

    /// <summary>What to do next, for the details page and the troubleshooting tool.</summary>
    public static string Advice(this FailureReason reason) => reason switch
    {
        FailureReason.InsufficientStorage => "清理设备存储（卸载不用的应用、删除本地文件）后重试失败设备",
        FailureReason.SignatureMismatch => "新版本必须使用与已安装版本相同的证书签名；如需换签名，先卸载旧版本再安装",
        FailureReason.IncompatibleAndroid => "确认应用的 minSdk 不高于设备安卓版本，或先升级设备系统",
        FailureReason.ChecksumFailed => "文件在传输中损坏；检查设备网络质量后重试",
        FailureReason.NetworkLost => "检查设备网络（可用 IoT查询设备网络状态 工具），网络恢复后重试",
        FailureReason.UserInteractionRequired => "设备不支持静默安装：请店员在设备上确认安装，或使用集成 IoT SDK 的系统",
        FailureReason.Timeout => "设备在规定时间内未完成：确认设备在线、网络稳定后重试",
        FailureReason.NotVerified => "设备报告已安装但应用列表未出现新版本：重启设备后查看，仍不一致请联系设备厂商",
        FailureReason.DownloadFailed => "确认设备能访问平台下载地址后重试",
        FailureReason.InstallFailed => "查看设备上报的错误信息，必要时重启设备后重试",
        FailureReason.CommandFailed => "查看设备上报的错误信息，必要时联系设备厂商",
        _ => "重试失败设备；仍失败请联系平台支持",
    };
}
