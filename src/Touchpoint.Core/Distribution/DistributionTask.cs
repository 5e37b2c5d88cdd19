namespace Touchpoint.Core.Distribution;

public enum DistributionStatus
{
    /// <summary>Created with its pre-flight, waiting for 开始执行 on the confirm page.</summary>
    Draft = 0,
    Running = 1,
    Paused = 2,
    /// <summary>自动暂停: the failure threshold or a wave's success threshold stopped it.</summary>
    AutoPaused = 3,
    Completed = 4,
    Cancelled = 5,
}

/// <summary>Where a task came from, for the task list and troubleshooting.</summary>
public enum TaskSource
{
    Console = 1,
    Gateway = 2,
}

/// <summary>分发任务: an action with app versions over a device set, rolled out by <see cref="RolloutPolicy"/>.</summary>
public sealed class DistributionTask
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public DistributionAction Action { get; set; }
    public long CreatedById { get; set; }
    /// <summary>Set when a provider's app created it on behalf of a merchant (app_auth_token): only that merchant's devices.</summary>
    public long? OnBehalfOfId { get; set; }
    public TaskSource Source { get; set; }
    public string? Remark { get; set; }
    public DistributionStatus Status { get; set; }
    /// <summary>Why it stopped by itself, or who paused it.</summary>
    public string? StatusReason { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? StartedAtUtc { get; set; }
    public DateTime? CompletedAtUtc { get; set; }
    /// <summary>The highest wave allowed to run; waves open one after another.</summary>
    public int OpenWave { get; set; }
    public int WaveCount { get; set; }
    /// <summary>Devices in the task (a device with several apps has a target per app), fixed at creation.</summary>
    public int DeviceCount { get; set; }
    public RolloutPolicy Policy { get; set; } = new();
    /// <summary>
    /// Failures (and tries) already seen when someone resumed an automatically stopped task: the failure threshold
    /// applies to what fails after that. -1 until the worker takes the baseline.
    /// </summary>
    public int AcceptedFailures { get; set; }
    public int AcceptedAttempts { get; set; }
    public List<DistributionTaskItem> Items { get; set; } = [];
    /// <summary>Bumped on every status change: pause, resume, cancel and the worker's decisions never cross.</summary>
    public int Revision { get; set; }
}

/// <summary>One app version of a task (a task may carry several; each device takes them in order).</summary>
public sealed class DistributionTaskItem
{
    public long Id { get; set; }
    public long TaskId { get; set; }
    public int Order { get; set; }
    public long CatalogueAppId { get; set; }
    /// <summary>Null for uninstall and boot start, which need no artifact.</summary>
    public long? AppVersionId { get; set; }
}
