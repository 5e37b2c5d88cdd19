namespace Touchpoint.Core.Distribution;

/// <summary>执行详情 per device: 待执行 → 已下发 → 下载中 → 下载完成 → 安装中 → 成功 / 失败, or 已跳过 / 已取消.</summary>
public enum TargetState
{
    Pending = 0,
    Sent = 1,
    Downloading = 2,
    Downloaded = 3,
    Installing = 4,
    Succeeded = 5,
    Failed = 6,
    Skipped = 7,
    Cancelled = 8,
}

/// <summary>One device's part of a task, for one app of it.</summary>
public sealed class DistributionTarget
{
    public long Id { get; set; }
    public long TaskId { get; set; }
    /// <summary>The task's app; null for batch restart and factory reset, which carry none.</summary>
    public long? ItemId { get; set; }
    public int ItemOrder { get; set; }
    public long DeviceId { get; set; }
    /// <summary>Kept with the row so that the details table, its filters and its export need no join.</summary>
    public required string Sn { get; set; }
    public int Wave { get; set; }
    public TargetState State { get; set; }
    /// <summary>Counts dispatches: a report for an older attempt is stale and ignored.</summary>
    public int Attempt { get; set; }
    public int Progress { get; set; }
    public SkipReason? SkipReason { get; set; }
    public FailureReason? FailureReason { get; set; }
    /// <summary>What the device or the platform said last (skip and failure details, download speed…).</summary>
    public string? Message { get; set; }
    /// <summary>Why a pending device is not dispatched yet (offline, window closed, waiting for Wi-Fi).</summary>
    public string? WaitingFor { get; set; }
    /// <summary>The version the device listed when the task was created, and the one it lists now.</summary>
    public string? FromVersion { get; set; }
    public string? ReportedVersion { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? DispatchedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    /// <summary>The device said it installed: success still waits for its app list (and reboot) to show the version.</summary>
    public DateTime? InstalledAtUtc { get; set; }
    /// <summary>For a system image: a boot the device reports later than this (its boot at the claim + 1 s) proves the reboot.</summary>
    public DateTime? InstalledBootAtUtc { get; set; }
    public DateTime? CompletedAtUtc { get; set; }
    /// <summary>Batch restart and factory reset run as device commands.</summary>
    public long? CommandId { get; set; }
}

/// <summary>One step of a target's history, for the details and the troubleshooting tool (R10).</summary>
public sealed class DistributionStep
{
    public long Id { get; set; }
    public long TargetId { get; set; }
    public DateTime AtUtc { get; set; }
    public TargetState State { get; set; }
    public int? Attempt { get; set; }
    public FailureReason? FailureReason { get; set; }
    /// <summary>"device" for what the terminal reported, "platform" for what the server decided.</summary>
    public required string Source { get; set; }
    public string? Message { get; set; }
}

public static class TargetStates
{
    public static bool IsFinal(this TargetState state) =>
        state is TargetState.Succeeded or TargetState.Failed or TargetState.Skipped or TargetState.Cancelled;

    /// <summary>Handed to the device and not yet ended.</summary>
    public static bool InFlight(this TargetState state) =>
        state is TargetState.Sent or TargetState.Downloading or TargetState.Downloaded or TargetState.Installing;

    public static readonly TargetState[] InFlightStates = [TargetState.Sent, TargetState.Downloading, TargetState.Downloaded, TargetState.Installing];

    public static string Chinese(this TargetState state) => state switch
    {
        TargetState.Pending => "待执行",
        TargetState.Sent => "已下发",
        TargetState.Downloading => "下载中",
        TargetState.Downloaded => "下载完成",
        TargetState.Installing => "安装中",
        TargetState.Succeeded => "成功",
        TargetState.Failed => "失败",
        TargetState.Skipped => "已跳过",
        TargetState.Cancelled => "已取消",
        _ => state.ToString(),
    };

    public static string Wire(this TargetState state) => state switch
    {
        TargetState.Downloading => "downloading",
        TargetState.Downloaded => "downloaded",
        TargetState.Installing => "installing",
        _ => state.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Whether a device report may move a target from <paramref name="from"/> to <paramref name="to"/>: forward only,
    /// so a late or repeated progress message never drags a target back. Installing → Succeeded is the platform's to
    /// decide (from the app list), never the device's word alone.
    /// </summary>
    public static bool DeviceMayMove(TargetState from, TargetState to) =>
        from.InFlight() && to switch
        {
            TargetState.Downloading => from is TargetState.Sent or TargetState.Downloading,
            TargetState.Downloaded => from is TargetState.Sent or TargetState.Downloading,
            TargetState.Installing => from is TargetState.Sent or TargetState.Downloading or TargetState.Downloaded,
            TargetState.Failed => true,
            _ => false,
        };
}
