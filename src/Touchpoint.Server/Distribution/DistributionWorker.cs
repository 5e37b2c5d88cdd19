using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Common;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Distribution;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.DeviceChannel;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Distribution;

/// <summary>
/// Moves running tasks along, on every node at once: confirms installs from the devices' app lists, times out and
/// retries, applies the rollout decision (next wave, 自动暂停, done), and dispatches within the rate and the gates.
/// Every state change is a conditional update on what was read, and a job is saved as sent before it is published, so
/// nodes never dispatch a target twice and a kill -9 loses nothing: the next pass (here or elsewhere) carries on.
/// </summary>
public sealed partial class DistributionWorker(IDbContextFactory<TouchpointDb> factory, DistributionSignal signal, IDeviceDownlink downlink,
    DownloadTokens downloads, DeviceCommandService commands, IOptions<DistributionOptions> options, TimeProvider clock,
    ILogger<DistributionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Distribution pass failed");
            }
            try
            {
                await signal.WaitAsync(TimeSpan.FromSeconds(options.Value.TickSeconds), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One pass over every running task (public for tests that drive the clock).</summary>
    public async Task TickAsync(CancellationToken ct)
    {
        List<long> running;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            // Paused and cancelled tasks still have devices finishing what they were sent: those are confirmed and timed out too.
            running = await db.DistributionTasks.Where(t => t.Status == DistributionStatus.Running
                    || ((t.Status == DistributionStatus.Paused || t.Status == DistributionStatus.AutoPaused || t.Status == DistributionStatus.Cancelled)
                        && db.DistributionTargets.Any(x => x.TaskId == t.Id && TargetStates.InFlightStates.Contains(x.State))))
                .OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(ct);
        }
        foreach (var id in running)
        {
            await AdvanceAsync(id, ct);
        }
    }

    private sealed record ItemInfo(DistributionTaskItem Item, CatalogueApp App, AppVersion? Version);

    private async Task AdvanceAsync(long taskId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var task = await db.DistributionTasks.AsNoTracking().Include(t => t.Items).SingleAsync(t => t.Id == taskId, ct);
        var appIds = task.Items.Select(i => i.CatalogueAppId).ToList();
        var apps = await db.CatalogueApps.AsNoTracking().Where(a => appIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var versionIds = task.Items.Where(i => i.AppVersionId != null).Select(i => i.AppVersionId!.Value).ToList();
        var versions = await db.AppVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, ct);
        var items = task.Items.ToDictionary(i => i.Id, i => new ItemInfo(i, apps[i.CatalogueAppId], i.AppVersionId is { } v ? versions[v] : null));
        var now = clock.GetUtcNow().UtcDateTime;

        await VerifyAsync(db, task, items, now, ct);
        await TimeOutAsync(db, task, now, ct);
        if (task.Status == DistributionStatus.Running && !await DecideAsync(db, task, now, ct))
        {
            return;
        }
        if (task.Status == DistributionStatus.Running)
        {
            await DispatchAsync(db, task, items, now, ct);
        }
        await ResendAsync(db, task, items, now, ct);
    }

    /// <summary>Success is what the device lists after the install (after the reboot for a system image), never its word alone.</summary>
    private async Task VerifyAsync(TouchpointDb db, DistributionTask task, Dictionary<long, ItemInfo> items, DateTime now, CancellationToken ct)
    {
        if (task.Action is DistributionAction.Restart or DistributionAction.FactoryReset)
        {
            var open = await (from t in db.DistributionTargets
                              join c in db.DeviceCommands on t.CommandId equals c.Id
                              where t.TaskId == task.Id && t.CommandId != null && (t.State == TargetState.Sent || t.State == TargetState.Installing)
                                  && (c.Status == CommandStatus.Succeeded || c.Status == CommandStatus.Failed || c.Status == CommandStatus.Expired
                                      || (c.Status == CommandStatus.Acknowledged && t.State == TargetState.Sent))
                              select new { t.Id, t.Attempt, t.State, c.Status, c.Result }).Take(1000).ToListAsync(ct);
            foreach (var x in open)
            {
                var next = x.Status switch
                {
                    CommandStatus.Succeeded => TargetState.Succeeded,
                    CommandStatus.Acknowledged => TargetState.Installing,
                    _ => TargetState.Failed,
                };
                var reason = x.Status switch { CommandStatus.Failed => FailureReason.CommandFailed, CommandStatus.Expired => FailureReason.Timeout, _ => (FailureReason?)null };
                await MoveAsync(db, x.Id, x.Attempt, x.State, next, reason, x.Result ?? (next == TargetState.Installing ? "设备已接收指令" : null), now,
                    next.IsFinal(), ct);
            }
            return;
        }
        // What the device lists decides, matched in SQL app by app: only confirmed targets come back, so however many
        // wait for their proof, none starves behind the others.
        foreach (var info in items.Values)
        {
            var itemId = info.Item.Id;
            var package = info.App.PackageName!;
            var claimed = db.DistributionTargets.AsNoTracking()
                .Where(t => t.TaskId == task.Id && t.ItemId == itemId && t.State == TargetState.Installing && t.InstalledAtUtc != null);
            var apps = db.DeviceApps.Where(a => a.PackageName == package);
            IQueryable<DistributionTarget> confirmed;
            switch (task.Action)
            {
                case DistributionAction.Uninstall:
                    confirmed = claimed.Where(t => !apps.Any(a => a.DeviceId == t.DeviceId));
                    break;
                case DistributionAction.SetBootStart:
                    confirmed = claimed.Where(t => apps.Any(a => a.DeviceId == t.DeviceId && a.BootStart));
                    break;
                default:
                    var v = info.Version!;
                    var (code, name, boot) = (v.VersionCode, v.VersionName, task.Policy.BootStart);
                    confirmed = claimed.Where(t => apps.Any(a => a.DeviceId == t.DeviceId
                        && (a.VersionCode == code || (a.VersionCode == null && a.Version == name)) && (!boot || a.BootStart)));
                    if (info.App.Kind == CatalogueKind.SystemImage)
                    {
                        // After the reboot: the device reports a boot later than the one it ran when it claimed the install
                        // (its own clock against its own clock), and it runs the image's Android.
                        var os = v.OsVersion;
                        confirmed = confirmed.Where(t => db.Devices.Any(d => d.Id == t.DeviceId && d.AndroidVersion == os
                            && d.LastBootAtUtc != null && (t.InstalledBootAtUtc == null ? d.LastBootAtUtc > t.InstalledAtUtc : d.LastBootAtUtc > t.InstalledBootAtUtc)));
                    }
                    break;
            }
            var done = await confirmed.OrderBy(t => t.Id).Select(t => new { t.Id, t.Attempt, t.DeviceId }).Take(5000).ToListAsync(ct);
            if (done.Count == 0)
            {
                continue;
            }
            var deviceIds = done.Select(d => d.DeviceId).ToList();
            var listed = await db.DeviceApps.AsNoTracking().Where(a => deviceIds.Contains(a.DeviceId) && a.PackageName == package)
                .ToDictionaryAsync(a => a.DeviceId, a => a.Version, ct);
            foreach (var target in done)
            {
                var version = listed.GetValueOrDefault(target.DeviceId) ?? "已卸载";
                await MoveAsync(db, target.Id, target.Attempt, TargetState.Installing, TargetState.Succeeded, null,
                    task.Action == DistributionAction.Uninstall ? "设备应用列表中已没有该应用" : $"设备上报版本 {version}", now, true, ct, version);
            }
        }
    }

    /// <summary>Per-device timeouts: a transient failure is tried again up to the retries, else it fails with the reason.</summary>
    private async Task TimeOutAsync(TouchpointDb db, DistributionTask task, DateTime now, CancellationToken ct)
    {
        var before = now.AddMinutes(-task.Policy.DeviceTimeoutMinutes);
        var late = await db.DistributionTargets.AsNoTracking()
            .Where(t => t.TaskId == task.Id && TargetStates.InFlightStates.Contains(t.State) && t.DispatchedAtUtc <= before)
            .OrderBy(t => t.Id).Take(2000).ToListAsync(ct);
        foreach (var target in late)
        {
            var reason = target.InstalledAtUtc is not null ? FailureReason.NotVerified : FailureReason.Timeout;
            // A cancelled task retries nothing: the device's turn would never come again.
            var retry = Rollout.ShouldRetry(reason, target.Attempt, task.Policy) && task.Status != DistributionStatus.Cancelled;
            var text = reason == FailureReason.NotVerified
                ? $"设备报告已安装，但 {task.Policy.DeviceTimeoutMinutes} 分钟内应用列表未出现目标版本"
                : $"{task.Policy.DeviceTimeoutMinutes} 分钟内未完成（停在“{target.State.Chinese()}”）";
            await MoveAsync(db, target.Id, target.Attempt, target.State, retry ? TargetState.Pending : TargetState.Failed, retry ? null : reason,
                retry ? $"{text}，将重试" : text, now, !retry, ct);
        }
    }

    /// <summary>The rollout decision, applied only if nobody changed the task meanwhile. False when the task stopped.</summary>
    private async Task<bool> DecideAsync(TouchpointDb db, DistributionTask task, DateTime now, CancellationToken ct)
    {
        var waves = await DistributionQueries.WaveCountsAsync(db, task.Id, ct);
        var same = db.DistributionTasks.Where(t => t.Id == task.Id && t.Revision == task.Revision);
        if (task.AcceptedFailures < 0)
        {
            var failed = waves.Sum(w => w.Failed);
            var tried = failed + waves.Sum(w => w.Succeeded);
            await same.ExecuteUpdateAsync(u => u.SetProperty(t => t.AcceptedFailures, failed).SetProperty(t => t.AcceptedAttempts, tried)
                .SetProperty(t => t.Revision, t => t.Revision + 1), ct);
            return false; // the next pass goes on from the new baseline
        }
        var decision = Rollout.Evaluate(task.OpenWave, waves, task.Policy, task.AcceptedFailures, task.AcceptedAttempts);
        switch (decision.Step)
        {
            case RolloutStep.Complete:
                if (await same.ExecuteUpdateAsync(u => u.SetProperty(t => t.Status, DistributionStatus.Completed).SetProperty(t => t.CompletedAtUtc, now)
                        .SetProperty(t => t.Revision, t => t.Revision + 1), ct) == 1)
                {
                    logger.LogInformation("Distribution task {Id} completed", task.Id);
                }
                return false;
            case RolloutStep.AutoPause:
                var reason = OptionalText.Clip(decision.Reason, 300);
                if (await same.ExecuteUpdateAsync(u => u.SetProperty(t => t.Status, DistributionStatus.AutoPaused).SetProperty(t => t.StatusReason, reason)
                        .SetProperty(t => t.Revision, t => t.Revision + 1), ct) == 1)
                {
                    logger.LogWarning("Distribution task {Id} stopped itself: {Reason}", task.Id, decision.Reason);
                }
                return false;
            case RolloutStep.OpenNextWave:
                await same.ExecuteUpdateAsync(u => u.SetProperty(t => t.OpenWave, t => t.OpenWave + 1).SetProperty(t => t.Revision, t => t.Revision + 1), ct);
                return false;
            default:
                return true;
        }
    }

    /// <summary>A conditional move with its step; false when the target changed meanwhile.</summary>
    private static async Task<bool> MoveAsync(TouchpointDb db, long id, int attempt, TargetState from, TargetState to, FailureReason? reason,
        string? message, DateTime now, bool final, CancellationToken ct, string? reportedVersion = null)
    {
        DateTime? completed = final ? now : null;
        var text = OptionalText.Clip(message, 500);
        var rows = db.DistributionTargets.Where(t => t.Id == id && t.Attempt == attempt && t.State == from);
        if (to == TargetState.Pending)
        {
            // Back to 待执行 only while the task can still run it: a cancel committed meanwhile leaves it where it was.
            rows = rows.Where(t => db.DistributionTasks.Any(k => k.Id == t.TaskId && k.Status != DistributionStatus.Cancelled));
        }
        var updated = await rows.ExecuteUpdateAsync(u => u
            .SetProperty(t => t.State, to).SetProperty(t => t.FailureReason, reason).SetProperty(t => t.Message, text)
            .SetProperty(t => t.UpdatedAtUtc, now).SetProperty(t => t.CompletedAtUtc, completed)
            .SetProperty(t => t.ReportedVersion, t => reportedVersion ?? t.ReportedVersion)
            .SetProperty(t => t.InstalledAtUtc, t => to == TargetState.Pending ? null : t.InstalledAtUtc), ct);
        if (updated == 0)
        {
            return false;
        }
        db.DistributionSteps.Add(new DistributionStep { TargetId = id, AtUtc = now, State = to, Attempt = attempt, FailureReason = reason, Source = "platform", Message = text });
        await db.SaveChangesAsync(ct);
        return true;
    }
}
