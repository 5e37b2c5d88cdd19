using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Common;
using Touchpoint.Core.Distribution;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Distribution;

/// <summary>
/// What devices say on <c>up/job</c>. Only the device's own target, only its current attempt, only forward moves: a late
/// or repeated report changes nothing. "installed" is recorded as a claim; success waits for the app list.
/// </summary>
public sealed class DistributionReports(IDbContextFactory<TouchpointDb> factory, TimeProvider clock, ILogger<DistributionReports> logger)
{
    public async Task HandleAsync(string sn, JobReport report, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await (from t in db.DistributionTargets
                         join task in db.DistributionTasks on t.TaskId equals task.Id
                         where t.Id == report.Id && t.Sn == sn
                         select new { Target = t, task.Policy, task.Status }).SingleOrDefaultAsync(ct);
        if (row is null || row.Target.Attempt != report.Attempt)
        {
            logger.LogInformation("Device {Sn} reported job {Id} attempt {Attempt}, which is not its current one", sn, report.Id, report.Attempt);
            return;
        }
        var target = row.Target;
        var now = clock.GetUtcNow().UtcDateTime;
        var message = OptionalText.Clip(report.Message, JobReport.MaxMessageLength);
        var unchanged = db.DistributionTargets.Where(t => t.Id == target.Id && t.Attempt == target.Attempt && t.State == target.State);
        var stillRunnable = unchanged.Where(t => db.DistributionTasks.Any(k => k.Id == t.TaskId && k.Status != DistributionStatus.Cancelled));
        TargetState next;
        int updated;
        FailureReason? reason = null;
        switch (report.State)
        {
            case "downloading" or "downloaded" or "installing":
                next = report.State switch { "downloading" => TargetState.Downloading, "downloaded" => TargetState.Downloaded, _ => TargetState.Installing };
                if (!TargetStates.DeviceMayMove(target.State, next))
                {
                    return;
                }
                var progress = next == TargetState.Downloading ? Math.Clamp(report.Progress ?? 0, target.Progress, 100) : 100;
                updated = await unchanged.ExecuteUpdateAsync(u => u.SetProperty(t => t.State, next).SetProperty(t => t.Progress, progress)
                    .SetProperty(t => t.UpdatedAtUtc, now).SetProperty(t => t.Message, t => message ?? t.Message), ct);
                if (updated == 1 && next == target.State)
                {
                    return; // progress within a state: no step for every percent
                }
                break;
            case "installed":
                if (!target.State.InFlight() || target.InstalledAtUtc is not null)
                {
                    return;
                }
                next = TargetState.Installing;
                message ??= "设备已安装，等待设备上报应用列表确认";
                // What proves a system image: a boot later than the one the device was running when it claimed the install
                // (its own clock both times; from the report itself, so post-reboot telemetry arriving first cannot confuse
                // it), by more than the second of jitter some terminals have in boot_at.
                var before = report.BootAt?.UtcDateTime
                    ?? await db.Devices.Where(d => d.Id == target.DeviceId).Select(d => d.LastBootAtUtc).SingleOrDefaultAsync(ct);
                DateTime? boot = before?.AddSeconds(1);
                updated = await unchanged.ExecuteUpdateAsync(u => u.SetProperty(t => t.State, next).SetProperty(t => t.Progress, 100)
                    .SetProperty(t => t.InstalledAtUtc, now).SetProperty(t => t.InstalledBootAtUtc, boot).SetProperty(t => t.UpdatedAtUtc, now)
                    .SetProperty(t => t.Message, message), ct);
                break;
            case "failed":
                if (!target.State.InFlight())
                {
                    return;
                }
                reason = ReasonTexts.FailureFromWire(report.Reason);
                var retry = Rollout.ShouldRetry(reason.Value, target.Attempt, row.Policy) && row.Status != DistributionStatus.Cancelled;
                next = retry ? TargetState.Pending : TargetState.Failed;
                var text = retry ? $"第 {target.Attempt} 次失败（{reason.Value.Chinese()}），将重试" : message ?? reason.Value.Chinese();
                var failure = retry ? null : reason;
                DateTime? completed = retry ? null : now;
                updated = await (retry ? stillRunnable : unchanged).ExecuteUpdateAsync(u => u.SetProperty(t => t.State, next).SetProperty(t => t.FailureReason, failure)
                    .SetProperty(t => t.Message, text).SetProperty(t => t.UpdatedAtUtc, now).SetProperty(t => t.CompletedAtUtc, completed)
                    .SetProperty(t => t.InstalledAtUtc, (DateTime?)null), ct);
                message = message is null ? text : $"{text}：{message}";
                break;
            default:
                return;
        }
        if (updated == 0)
        {
            return; // another report or the worker moved it first
        }
        db.DistributionSteps.Add(new DistributionStep
        {
            TargetId = target.Id, AtUtc = now, State = report.State == "failed" ? TargetState.Failed : next, Attempt = target.Attempt,
            FailureReason = reason, Source = "device", Message = report.State == "installed" ? "设备报告安装完成" : message,
        });
        await db.SaveChangesAsync(ct);
    }
}
