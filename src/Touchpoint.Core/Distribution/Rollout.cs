using Touchpoint.Core.Devices;

namespace Touchpoint.Core.Distribution;

/// <summary>Counts of one wave's targets, as the worker reads them with one GROUP BY.</summary>
public sealed record WaveCounts(int Wave, int Total, int Succeeded, int Failed, int Final);

public enum RolloutStep
{
    /// <summary>Keep dispatching within the open wave.</summary>
    Continue,
    /// <summary>The open wave finished well enough: open the next one.</summary>
    OpenNextWave,
    /// <summary>自动暂停, with the reason.</summary>
    AutoPause,
    /// <summary>Every target has ended.</summary>
    Complete,
}

public sealed record RolloutDecision(RolloutStep Step, string? Reason = null);

/// <summary>The rollout state machine: waves, thresholds, stop, rate, timeouts, retries, windows. Pure; the worker applies it.</summary>
public static class Rollout
{
    /// <summary>How many of the eligible devices go in the first wave; all of them when the policy has one wave.</summary>
    public static int FirstWaveSize(int eligible, RolloutPolicy policy)
    {
        var size = policy switch
        {
            { FirstWaveCount: { } n } => n,
            { FirstWavePercent: { } pct } => (int)Math.Ceiling(eligible * pct / 100.0),
            _ => eligible,
        };
        return Math.Clamp(size, Math.Min(1, eligible), eligible);
    }

    /// <summary>Wave of the i-th eligible device (0-based): 1 for the first wave, 2 for the rest.</summary>
    public static int WaveOf(int index, int firstWaveSize) => index < firstWaveSize ? 1 : 2;

    /// <summary>What the worker does next with a running task, from its counts per wave.</summary>
    /// <param name="openWave">The highest wave allowed to run.</param>
    /// <param name="waves">Counts per wave.</param>
    /// <param name="policy">The task's rollout policy.</param>
    /// <param name="acceptedFailed">Failures already accepted by resuming after an automatic stop; not counted again.</param>
    /// <param name="acceptedAttempted">Tries (successes + failures) at that moment.</param>
    public static RolloutDecision Evaluate(int openWave, IReadOnlyList<WaveCounts> waves, RolloutPolicy policy, int acceptedFailed = 0,
        int acceptedAttempted = 0)
    {
        var failed = Math.Max(0, waves.Sum(w => w.Failed) - acceptedFailed);
        var attempted = Math.Max(0, waves.Sum(w => w.Failed) + waves.Sum(w => w.Succeeded) - acceptedAttempted);
        if (policy.FailureStopPercent is { } stop && failed >= policy.FailureMinCount && failed * 100.0 / attempted >= stop)
        {
            return new(RolloutStep.AutoPause, $"失败率 {Percent(failed, attempted)}（{failed} 台失败）达到自动暂停阈值 {stop}%");
        }
        if (waves.All(w => w.Final == w.Total))
        {
            return new(RolloutStep.Complete);
        }
        var open = waves.FirstOrDefault(w => w.Wave == openWave);
        if (open is null || open.Final < open.Total)
        {
            return new(RolloutStep.Continue);
        }
        if (!waves.Any(w => w.Wave > openWave))
        {
            return new(RolloutStep.Continue);
        }
        var tried = open.Succeeded + open.Failed;
        if (tried > 0 && open.Succeeded * 100.0 / tried < policy.SuccessThresholdPercent)
        {
            return new(RolloutStep.AutoPause,
                $"第 {openWave} 批成功率 {Percent(open.Succeeded, tried)} 低于 {policy.SuccessThresholdPercent}%，后续批次未开始");
        }
        return new(RolloutStep.OpenNextWave);
    }

    /// <summary>How many more devices may be dispatched now under the task's rate (a sliding minute).</summary>
    public static int Budget(RolloutPolicy policy, int dispatchedInLastMinute, int batch) =>
        policy.DevicesPerMinute is { } rate ? Math.Clamp(rate - dispatchedInLastMinute, 0, batch) : batch;

    /// <summary>Null when the device may be dispatched now, else what it waits for.</summary>
    public static string? WaitingFor(RolloutPolicy policy, bool online, NetworkType network, DateTime nowUtc, TimeZoneInfo deviceZone)
    {
        if (!online)
        {
            return "设备离线，上线后自动执行";
        }
        if (policy is { WindowStartMinute: { } start, WindowEndMinute: { } end } && !InWindow(nowUtc, deviceZone, start, end))
        {
            return $"等待维护窗口 {Clock(start)}–{Clock(end)}（设备本地时间）";
        }
        if (policy.WifiOnly && network == NetworkType.Cellular)
        {
            return "仅 Wi-Fi 下载：设备使用蜂窝网络，等待连接 Wi-Fi";
        }
        return null;
    }

    /// <summary>Whether the device's local clock is inside [start, end); end before start spans midnight.</summary>
    public static bool InWindow(DateTime nowUtc, TimeZoneInfo deviceZone, int startMinute, int endMinute)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), deviceZone);
        var minute = local.Hour * 60 + local.Minute;
        return startMinute < endMinute
            ? minute >= startMinute && minute < endMinute
            : minute >= startMinute || minute < endMinute;
    }

    /// <summary>A dispatched target that has not ended within the per-device timeout.</summary>
    public static bool TimedOut(DateTime dispatchedAtUtc, DateTime nowUtc, RolloutPolicy policy) =>
        nowUtc - dispatchedAtUtc >= TimeSpan.FromMinutes(policy.DeviceTimeoutMinutes);

    /// <summary>A failure worth another attempt: the network, the transfer or time — not the device refusing the app.</summary>
    public static bool IsTransient(FailureReason reason) => reason is FailureReason.NetworkLost or FailureReason.ChecksumFailed
        or FailureReason.Timeout or FailureReason.DownloadFailed;

    /// <summary>After a failure on attempt <paramref name="attempt"/> (1-based): try again, or fail for good.</summary>
    public static bool ShouldRetry(FailureReason reason, int attempt, RolloutPolicy policy) =>
        IsTransient(reason) && attempt <= policy.MaxRetries;

    public static TimeZoneInfo Zone(string? ianaId)
    {
        if (ianaId is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(ianaId, out var zone))
        {
            return zone;
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(DeviceDefaults.TimeZone, out var china) ? china : TimeZoneInfo.CreateCustomTimeZone("CST", TimeSpan.FromHours(8), "CST", "CST");
    }

    private static string Percent(int part, int whole) => whole == 0 ? "0%" : $"{part * 100.0 / whole:0.#}%";
    private static string Clock(int minute) => $"{minute / 60:D2}:{minute % 60:D2}";
}
