using Touchpoint.Core.Devices;
using Touchpoint.Core.Distribution;

namespace Touchpoint.Server.Distribution;

/// <summary>An app of a task: by its app ID and version (versionCode, or the version name as the gateway sends it; neither = latest).</summary>
public sealed record TaskItemRequest(string AppId, long? VersionCode = null, string? VersionName = null);

/// <summary>The device set: picked SNs (or a CSV of them), or a filter over the devices the account may distribute to.</summary>
public sealed record DeviceSelection(IReadOnlyList<string>? Sns = null, DeviceType? Type = null, string? Model = null, bool? Online = null)
{
    /// <summary>The filter part (type, model, online state), shared by the picker and task creation so both select alike.</summary>
    public IQueryable<Device> Filter(IQueryable<Device> devices)
    {
        if (Type is { } type)
        {
            devices = devices.Where(d => d.Type == type);
        }
        if (Model is { Length: > 0 } model)
        {
            devices = devices.Where(d => d.Model == model);
        }
        return Online is { } online ? devices.Where(d => d.IsOnline == online) : devices;
    }
}

public sealed record NewDistributionTask(string? Name, DistributionAction Action, IReadOnlyList<TaskItemRequest>? Items, DeviceSelection Devices,
    RolloutPolicy? Policy = null, string? Remark = null);

public sealed record WaveView(int Wave, int Total, int Succeeded, int Failed, int Final);

public sealed record TaskItemView(string AppId, string AppName, CatalogueKind Kind, string? VersionName, long? VersionCode);

public sealed record SkipCount(SkipReason Reason, string Text, int Count);

public sealed record DistributionTaskView(long Id, string Name, DistributionAction Action, string ActionName, DistributionStatus Status,
    string StatusName, string? StatusReason, TaskSource Source, string CreatedBy, DateTime CreatedAtUtc, DateTime? StartedAtUtc,
    DateTime? CompletedAtUtc, string? Remark, RolloutPolicy Policy, IReadOnlyList<TaskItemView> Items, int Devices, int Total,
    IReadOnlyDictionary<TargetState, int> Counts, IReadOnlyList<WaveView> Waves, int OpenWave, IReadOnlyList<SkipCount> Skipped)
{
    public int Count(TargetState state) => Counts.GetValueOrDefault(state);
    public int Ended => Counts.Where(c => c.Key.IsFinal()).Sum(c => c.Value);
    public int Percent => Total == 0 ? 100 : Ended * 100 / Total;
}

public sealed record TargetRow(long Id, string Sn, string AppId, string AppName, int Wave, TargetState State, string StateName, int Attempt,
    int Progress, SkipReason? SkipReason, FailureReason? FailureReason, string? Reason, string? Advice, string? Message, string? WaitingFor,
    string? FromVersion, string? ReportedVersion, DateTime UpdatedAtUtc, DateTime? CompletedAtUtc);

public sealed record TargetQuery(TargetState? State = null, string? Reason = null, string? Sn = null, int Page = 1, int PageSize = 20);

public sealed record StepRow(DateTime AtUtc, TargetState State, string StateName, int? Attempt, string Source, string? Reason, string? Message);

/// <summary>IoT应用分发排查 (R10): every task that touched (device, app), each step, and what the device runs now.</summary>
public sealed record TroubleshootReport(string Sn, string AppId, string AppName, string? CurrentVersion, long? CurrentVersionCode, bool DeviceOnline,
    DateTime? LastOnlineAtUtc, IReadOnlyList<TroubleshootTask> Tasks, string Summary);

public sealed record TroubleshootTask(long TaskId, string TaskName, string ActionName, string StatusName, string? TargetVersion,
    TargetState State, string StateName, string? Reason, string? Advice, string? Message, IReadOnlyList<StepRow> Steps);
