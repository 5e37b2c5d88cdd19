namespace Touchpoint.Core.Distribution;

/// <summary>
/// How a task rolls out, in the anchors' terms: a first wave (hawkBit groups), a rate (AWS IoT Jobs), a success
/// threshold that opens the next wave, an abort threshold after a minimum count, per-device timeouts and retries,
/// a maintenance window in the device's local time (hawkBit, Headwind MDM), Wi-Fi-only download (Android
/// Management API's unmetered constraint).
/// </summary>
public sealed record RolloutPolicy
{
    /// <summary>Devices in the first wave; null with <see cref="FirstWavePercent"/> null means one wave.</summary>
    public int? FirstWaveCount { get; init; }
    public int? FirstWavePercent { get; init; }
    /// <summary>Dispatches per minute over the whole task; null = as fast as devices take them.</summary>
    public int? DevicesPerMinute { get; init; }
    /// <summary>A finished wave opens the next one only if at least this share of its devices succeeded.</summary>
    public int SuccessThresholdPercent { get; init; } = 90;
    /// <summary>自动暂停 once failures reach this share of finished devices…</summary>
    public int? FailureStopPercent { get; init; } = 20;
    /// <summary>…and at least this many devices failed (a first failure out of one is not 100 %).</summary>
    public int FailureMinCount { get; init; } = 5;
    public int DeviceTimeoutMinutes { get; init; } = 30;
    public int MaxRetries { get; init; } = 1;
    /// <summary>Maintenance window in the device's local time, minutes after midnight; end before start wraps midnight.</summary>
    public int? WindowStartMinute { get; init; }
    public int? WindowEndMinute { get; init; }
    /// <summary>Cellular devices wait for Wi-Fi (or Ethernet) before downloading.</summary>
    public bool WifiOnly { get; init; }
    /// <summary>Skip devices not seen online for longer than this (pre-flight and at dispatch).</summary>
    public int? MaxOfflineDays { get; init; }
    /// <summary>With install: set the app to start at boot (needs Ant OS).</summary>
    public bool BootStart { get; init; }

    public const int MaxRetriesLimit = 5;

    /// <summary>Null when the policy is coherent, else what is wrong (in Chinese, for the console and the gateway).</summary>
    public string? Problem()
    {
        if (FirstWaveCount is < 1)
        {
            return "第一批设备数必须大于 0";
        }
        if (FirstWavePercent is < 1 or > 99)
        {
            return "第一批比例必须在 1%–99% 之间";
        }
        if (FirstWaveCount is not null && FirstWavePercent is not null)
        {
            return "第一批只能按数量或按比例设置其一";
        }
        if (DevicesPerMinute is < 1 or > 100_000)
        {
            return "分发速率必须在每分钟 1–100000 台之间";
        }
        if (SuccessThresholdPercent is < 0 or > 100)
        {
            return "成功率阈值必须在 0%–100% 之间";
        }
        if (FailureStopPercent is < 1 or > 100)
        {
            return "失败率暂停阈值必须在 1%–100% 之间";
        }
        if (FailureMinCount < 1)
        {
            return "失败暂停的最少失败台数必须大于 0";
        }
        if (DeviceTimeoutMinutes is < 1 or > 7 * 24 * 60)
        {
            return "单台超时必须在 1 分钟到 7 天之间";
        }
        if (MaxRetries is < 0 or > MaxRetriesLimit)
        {
            return $"重试次数必须在 0–{MaxRetriesLimit} 之间";
        }
        if ((WindowStartMinute is null) != (WindowEndMinute is null))
        {
            return "维护窗口需要同时设置开始和结束时间";
        }
        if (WindowStartMinute is < 0 or >= 1440 || WindowEndMinute is < 0 or >= 1440 || (WindowStartMinute is not null && WindowStartMinute == WindowEndMinute))
        {
            return "维护窗口时间无效";
        }
        if (MaxOfflineDays is < 1 or > 365)
        {
            return "离线天数上限必须在 1–365 之间";
        }
        return null;
    }
}
