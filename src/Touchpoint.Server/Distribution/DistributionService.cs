using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Audit;
using Touchpoint.Core.Common;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Distribution;
using Touchpoint.Core.Grants;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Audit;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Distribution;

/// <summary>
/// 分发任务: created with its pre-flight (every device judged by <see cref="CapabilityRule"/>, the ineligible ones kept as
/// 已跳过 with the reason), then started, paused, resumed, cancelled, retried. The worker does the rest.
/// </summary>
public sealed class DistributionService(IDbContextFactory<TouchpointDb> factory, DistributionSignal signal, IOptions<DistributionOptions> options,
    TimeProvider clock, ILogger<DistributionService> logger)
{
    /// <summary>The grant an action needs on each device: app actions 应用分发, batch restart and reset 远程管理.</summary>
    public static GrantPermissions PermissionFor(DistributionAction action) =>
        action is DistributionAction.Restart or DistributionAction.FactoryReset ? GrantPermissions.RemoteManagement : GrantPermissions.AppDistribution;

    private sealed record ResolvedItem(DistributionTaskItem Item, CatalogueApp App, AppVersion? Version, string Package);

    public async Task<DistributionTaskView> CreateAsync(Actor actor, NewDistributionTask request, TaskSource source, bool start,
        CancellationToken ct = default)
    {
        if (!Enum.IsDefined(request.Action))
        {
            throw TouchpointException.Invalid("请选择分发操作");
        }
        if (request.Devices is null)
        {
            throw TouchpointException.Invalid("请选择设备（SN 列表或筛选条件）");
        }
        if (request.Items?.Any(i => i is null) == true || request.Devices.Sns?.Any(sn => sn is null) == true)
        {
            throw TouchpointException.Invalid("应用或设备列表中有空项");
        }
        var policy = request.Policy ?? new RolloutPolicy();
        if (policy.Problem() is { } problem)
        {
            throw TouchpointException.Invalid(problem);
        }
        var remark = request.Remark?.Trim();
        if (remark is { Length: > 200 })
        {
            throw TouchpointException.Invalid("备注最多 200 字");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var items = await ResolveItemsAsync(db, actor, request, ct);
        var name = request.Name?.Trim() is { Length: > 0 } given ? given
            : items.Count == 0 ? $"批量{request.Action.Chinese()} {now.AddHours(8):MM-dd HH:mm}"
            : $"{request.Action.Chinese()} {items[0].App.Name} {items[0].Version?.VersionName}".Trim();
        if (name.Length > 64)
        {
            throw TouchpointException.Invalid("任务名称最多 64 个字");
        }

        var permission = PermissionFor(request.Action);
        var scope = DeviceAccess.Permitted(db, actor, permission, now);
        var deviceIds = await SelectDevicesAsync(db, scope, request.Devices, permission, ct);
        if (deviceIds.Count == 0)
        {
            throw TouchpointException.Invalid("请至少选择一台设备");
        }
        if (deviceIds.Count > options.Value.MaxDevicesPerTask)
        {
            throw TouchpointException.Invalid($"一个任务最多 {options.Value.MaxDevicesPerTask} 台设备，请分批创建");
        }

        var task = new DistributionTask
        {
            Name = name, Action = request.Action, CreatedById = actor.Id, OnBehalfOfId = actor.OnBehalfOfId, Source = source, Remark = remark,
            Status = DistributionStatus.Draft, CreatedAtUtc = now, Policy = policy, WaveCount = 1,
        };
        task.Items.AddRange(items.Select(i => i.Item));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.DistributionTasks.Add(task);
        await db.SaveChangesAsync(ct);

        // Judge every device, then place the eligible ones in waves in SN order; the rows are written in bulk (COPY on
        // PostgreSQL), so a task over 100,000 devices is created in seconds.
        var clockStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var verdicts = await JudgeAsync(db, deviceIds, items, request.Action, policy, now, ct);
        var judged = System.Diagnostics.Stopwatch.GetElapsedTime(clockStarted);
        var eligibleDevices = verdicts.Where(v => v.Verdicts.Any(x => x.Verdict.CanRun)).Select(v => v.DeviceId).ToList();
        var firstWave = Rollout.FirstWaveSize(eligibleDevices.Count, policy);
        var waveOf = eligibleDevices.Select((id, index) => (id, index)).ToDictionary(x => x.id, x => Rollout.WaveOf(x.index, firstWave));
        var batch = new List<DistributionTarget>(5000);
        foreach (var device in verdicts)
        {
            var order = 0;
            foreach (var (item, verdict, installed) in device.Verdicts)
            {
                batch.Add(new DistributionTarget
                {
                    TaskId = task.Id, ItemId = item?.Item.Id, ItemOrder = order++, DeviceId = device.DeviceId, Sn = device.Sn,
                    Wave = waveOf.GetValueOrDefault(device.DeviceId, 1),
                    State = verdict.CanRun ? TargetState.Pending : TargetState.Skipped,
                    SkipReason = verdict.Reason, Message = verdict.WhyNot, FromVersion = installed,
                    CreatedAtUtc = now, UpdatedAtUtc = now, CompletedAtUtc = verdict.CanRun ? null : now,
                });
            }
            if (batch.Count >= 5000)
            {
                await TargetBulkWriter.WriteAsync(db, batch, ct);
                batch.Clear();
            }
        }
        await TargetBulkWriter.WriteAsync(db, batch, ct);
        db.ChangeTracker.Clear();
        db.Attach(task);
        task.WaveCount = firstWave < eligibleDevices.Count ? 2 : 1;
        task.DeviceCount = deviceIds.Count;
        if (start)
        {
            Start(task, now);
        }
        AuditLog.Add(db, clock, actor.Id, AuditAction.DistributionStarted, task.OnBehalfOfId ?? actor.Id, null,
            $"{(start ? "创建并开始" : "创建")}分发任务 {task.Name}（{deviceIds.Count} 台设备，{eligibleDevices.Count} 台可执行）");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Distribution task {Id} created by {Actor}: {Devices} devices, {Eligible} eligible, started {Started}; judged in {Judged} ms, written in {Written} ms",
            task.Id, actor.Id, deviceIds.Count, eligibleDevices.Count, start, (int)judged.TotalMilliseconds,
            (int)(System.Diagnostics.Stopwatch.GetElapsedTime(clockStarted) - judged).TotalMilliseconds);
        if (start)
        {
            signal.Poke();
        }
        return await DistributionQueries.ViewAsync(db, task.Id, ct);
    }

    /// <summary>The apps and versions of the request, checked against what each kind supports; none for restart and reset.</summary>
    private static async Task<List<ResolvedItem>> ResolveItemsAsync(TouchpointDb db, Actor actor, NewDistributionTask request, CancellationToken ct)
    {
        var items = new List<ResolvedItem>();
        if (request.Action is DistributionAction.Restart or DistributionAction.FactoryReset)
        {
            if (request.Items is { Count: > 0 })
            {
                throw TouchpointException.Invalid($"批量{request.Action.Chinese()}不需要选择应用");
            }
            return items;
        }
        if (request.Items is not { Count: > 0 })
        {
            throw TouchpointException.Invalid("请选择要分发的应用和版本");
        }
        if (request.Items.Count > 10)
        {
            throw TouchpointException.Invalid("一个任务最多 10 个应用");
        }
        foreach (var (wanted, order) in request.Items.Select((w, i) => (w, i)))
        {
            if (string.IsNullOrWhiteSpace(wanted.AppId))
            {
                throw TouchpointException.Invalid("请选择应用");
            }
            var app = await CatalogueService.VisibleAsync(db, actor, wanted.AppId, ct);
            if (app.Kind == CatalogueKind.LightApp && request.Action == DistributionAction.Uninstall)
            {
                throw TouchpointException.Invalid($"{app.Name}：{SkipReason.UninstallInDevelopment.Chinese()}");
            }
            if (!app.Kind.Actions().Contains(request.Action))
            {
                throw TouchpointException.Invalid($"{app.Kind.Chinese()}只支持{string.Join("、", app.Kind.Actions().Select(a => a.Chinese()))}");
            }
            if (items.Any(i => i.App.Id == app.Id))
            {
                throw TouchpointException.Invalid($"应用 {app.AppId} 选择了两次");
            }
            AppVersion? version = null;
            if (request.Action is DistributionAction.Install or DistributionAction.Upgrade)
            {
                var versions = app.Versions.OrderByDescending(v => v.VersionCode).ToList();
                version = wanted switch
                {
                    { VersionCode: { } code } => versions.FirstOrDefault(v => v.VersionCode == code),
                    { VersionName: { Length: > 0 } versionName } => versions.FirstOrDefault(v => v.VersionName == versionName.Trim()),
                    _ => versions.FirstOrDefault(),
                } ?? throw TouchpointException.Invalid(versions.Count == 0
                    ? $"应用 {app.Name} 还没有上传版本"
                    : $"应用 {app.Name} 没有版本 {wanted.VersionName ?? wanted.VersionCode?.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            }
            var package = app.PackageName ?? throw TouchpointException.Invalid($"应用 {app.Name} 还没有上传版本");
            items.Add(new ResolvedItem(new DistributionTaskItem { Order = order, CatalogueAppId = app.Id, AppVersionId = version?.Id }, app, version, package));
        }
        return items;
    }

    private static async Task<List<long>> SelectDevicesAsync(TouchpointDb db, IQueryable<Device> scope, DeviceSelection selection,
        GrantPermissions permission, CancellationToken ct)
    {
        if (selection.Sns is { } sns)
        {
            var wanted = new List<string>();
            foreach (var raw in sns)
            {
                if (!DeviceSn.TryNormalize(raw, out var sn))
                {
                    throw TouchpointException.Invalid($"SN 格式不正确：{raw}");
                }
                wanted.Add(sn);
            }
            wanted = wanted.Distinct(StringComparer.Ordinal).ToList();
            var found = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var chunk in wanted.Chunk(1000))
            {
                foreach (var d in await scope.Where(d => chunk.Contains(d.Sn)).Select(d => new { d.Sn, d.Id }).ToListAsync(ct))
                {
                    found[d.Sn] = d.Id;
                }
            }
            var missing = wanted.Where(sn => !found.ContainsKey(sn)).ToList();
            if (missing.Count > 0)
            {
                throw TouchpointException.Forbidden(
                    $"以下 {missing.Count} 台设备不存在或您没有“{permission.Chinese()}”权限：{string.Join("、", missing.Take(10))}{(missing.Count > 10 ? " …" : "")}");
            }
            return wanted.Select(sn => found[sn]).ToList();
        }
        var query = scope;
        query = selection.Filter(query);
        return await query.OrderBy(d => d.Sn).Select(d => d.Id).ToListAsync(ct);
    }

    private sealed record DeviceVerdicts(long DeviceId, string Sn, List<(ResolvedItem? Item, Verdict Verdict, string? Installed)> Verdicts);

    /// <summary>The capability rule over every device and app, reading devices and their installed versions in chunks.</summary>
    private static async Task<List<DeviceVerdicts>> JudgeAsync(TouchpointDb db, List<long> deviceIds, List<ResolvedItem> items,
        DistributionAction action, RolloutPolicy policy, DateTime now, CancellationToken ct)
    {
        var packages = items.Select(i => i.Package).Distinct().ToList();
        var result = new List<DeviceVerdicts>(deviceIds.Count);
        foreach (var chunk in deviceIds.Chunk(2000))
        {
            var devices = await db.Devices.AsNoTracking().Where(d => chunk.Contains(d.Id))
                .Select(d => new { d.Id, d.Sn, d.AndroidVersion, d.Capabilities, d.AntOs, d.ManufacturerId, d.Model, d.LastOnlineAtUtc })
                .ToDictionaryAsync(d => d.Id, ct);
            var apps = packages.Count == 0 ? [] : await db.DeviceApps.AsNoTracking()
                .Where(a => chunk.Contains(a.DeviceId) && packages.Contains(a.PackageName))
                .Select(a => new { a.DeviceId, a.PackageName, a.Version, a.VersionCode }).ToListAsync(ct);
            var installed = apps.ToLookup(a => (a.DeviceId, a.PackageName));
            foreach (var id in chunk)
            {
                var d = devices[id];
                var verdicts = new List<(ResolvedItem?, Verdict, string?)>();
                if (items.Count == 0)
                {
                    var facts = new DeviceFacts(d.AndroidVersion, d.Capabilities, d.AntOs, d.ManufacturerId, d.Model, d.LastOnlineAtUtc, null);
                    verdicts.Add((null, CapabilityRule.Decide(facts, new DistributionRequest(null, action, MaxOfflineDays: policy.MaxOfflineDays), now), null));
                }
                foreach (var item in items)
                {
                    var app = installed[(id, item.Package)].FirstOrDefault();
                    var facts = new DeviceFacts(d.AndroidVersion, d.Capabilities, d.AntOs, d.ManufacturerId, d.Model, d.LastOnlineAtUtc,
                        app is null ? null : new InstalledApp(app.Version, app.VersionCode));
                    var request = new DistributionRequest(item.App.Kind, action, item.Version?.VersionCode, item.Version?.MinSdk,
                        item.App.ManufacturerId, item.App.Model, policy.BootStart, policy.MaxOfflineDays);
                    verdicts.Add((item, CapabilityRule.Decide(facts, request, now), app?.Version));
                }
                result.Add(new DeviceVerdicts(id, d.Sn, verdicts));
            }
        }
        return result;
    }

    private static void Start(DistributionTask task, DateTime now)
    {
        task.Status = DistributionStatus.Running;
        task.StartedAtUtc = now;
        task.OpenWave = 1;
        task.StatusReason = null;
        task.Revision++;
    }

    /// <summary>开始执行 from the confirm page.</summary>
    public Task<DistributionTaskView> StartAsync(Actor actor, long taskId, CancellationToken ct = default) =>
        ChangeAsync(actor, taskId, AuditAction.DistributionStarted, (task, now) =>
        {
            if (task.Status != DistributionStatus.Draft)
            {
                throw TouchpointException.Conflict($"任务已{task.Status.Chinese()}，不能再开始");
            }
            Start(task, now);
        }, ct);

    public Task<DistributionTaskView> PauseAsync(Actor actor, long taskId, CancellationToken ct = default) =>
        ChangeAsync(actor, taskId, AuditAction.DistributionPaused, (task, _) =>
        {
            if (task.Status != DistributionStatus.Running)
            {
                throw TouchpointException.Conflict($"任务{task.Status.Chinese()}，不能暂停");
            }
            task.Status = DistributionStatus.Paused;
            task.StatusReason = $"{actor.DisplayName} 手动暂停；已下发的设备会完成当前操作";
        }, ct);

    /// <summary>
    /// 继续: after an automatic stop the failures so far count as seen (the failure threshold applies to what fails next).
    /// A wave that finished below its success threshold lets the next wave start — the operator decided to go on; a stop
    /// for the failure rate inside an unfinished wave keeps the later waves closed until that wave has finished.
    /// </summary>
    public Task<DistributionTaskView> ResumeAsync(Actor actor, long taskId, CancellationToken ct = default) =>
        ChangeAsync(actor, taskId, AuditAction.DistributionResumed, async (db, task, _) =>
        {
            if (task.Status is not (DistributionStatus.Paused or DistributionStatus.AutoPaused))
            {
                throw TouchpointException.Conflict($"任务{task.Status.Chinese()}，不能继续");
            }
            if (task.Status == DistributionStatus.AutoPaused)
            {
                task.AcceptedFailures = -1; // the worker sets the baseline from the current counts on its next pass
                var open = (await DistributionQueries.WaveCountsAsync(db, task.Id, ct)).FirstOrDefault(w => w.Wave == task.OpenWave);
                if (task.OpenWave < task.WaveCount && open is not null && open.Final == open.Total)
                {
                    task.OpenWave++;
                }
            }
            task.Status = DistributionStatus.Running;
            task.StatusReason = null;
        }, ct);

    /// <summary>
    /// 取消: devices not yet sent (待执行) are cancelled with the task, in one transaction; a device that already has its
    /// job (已下发 and later) finishes it and its result is kept — nothing is rolled back (a half-removed app is worse than
    /// a complete new version), and nothing is re-sent.
    /// </summary>
    public Task<DistributionTaskView> CancelAsync(Actor actor, long taskId, CancellationToken ct = default) =>
        ChangeAsync(actor, taskId, AuditAction.DistributionCancelled, async (db, task, now) =>
        {
            if (task.Status is DistributionStatus.Completed or DistributionStatus.Cancelled)
            {
                throw TouchpointException.Conflict($"任务已{task.Status.Chinese()}");
            }
            task.Status = DistributionStatus.Cancelled;
            task.StatusReason = $"{actor.DisplayName} 取消；已下发的设备会完成当前操作，不回滚";
            task.CompletedAtUtc = now;
            await db.DistributionTargets.Where(t => t.TaskId == taskId && t.State == TargetState.Pending)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.State, TargetState.Cancelled).SetProperty(t => t.CompletedAtUtc, now)
                    .SetProperty(t => t.UpdatedAtUtc, now).SetProperty(t => t.WaitingFor, (string?)null), ct);
        }, ct);

    /// <summary>重试失败设备: failed devices go back to 待执行 and the task runs again; their old failures are not counted again.</summary>
    public Task<DistributionTaskView> RetryFailedAsync(Actor actor, long taskId, CancellationToken ct = default) =>
        ChangeAsync(actor, taskId, AuditAction.DistributionRetried, async (db, task, now) =>
        {
            if (task.Status is DistributionStatus.Draft or DistributionStatus.Cancelled)
            {
                throw TouchpointException.Conflict($"任务{task.Status.Chinese()}，不能重试");
            }
            // Targets first, then the baseline sentinel, in one transaction: the worker never sees the sentinel with the
            // old failures still counted.
            var retried = await db.DistributionTargets.Where(t => t.TaskId == taskId && t.State == TargetState.Failed)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.State, TargetState.Pending).SetProperty(t => t.FailureReason, (FailureReason?)null)
                    .SetProperty(t => t.CompletedAtUtc, (DateTime?)null).SetProperty(t => t.InstalledAtUtc, (DateTime?)null)
                    .SetProperty(t => t.Progress, 0).SetProperty(t => t.UpdatedAtUtc, now).SetProperty(t => t.Message, "重试"), ct);
            logger.LogInformation("Task {Id}: {Count} failed devices retried", taskId, retried);
            task.Status = DistributionStatus.Running;
            task.StatusReason = null;
            task.CompletedAtUtc = null;
            task.AcceptedFailures = -1;
        }, ct);

    private Task<DistributionTaskView> ChangeAsync(Actor actor, long taskId, AuditAction action, Action<DistributionTask, DateTime> change,
        CancellationToken ct) =>
        ChangeAsync(actor, taskId, action, (_, task, now) =>
        {
            change(task, now);
            return Task.CompletedTask;
        }, ct);

    /// <summary>A task change and whatever goes with it, in one transaction fenced by the task's revision.</summary>
    private async Task<DistributionTaskView> ChangeAsync(Actor actor, long taskId, AuditAction action,
        Func<TouchpointDb, DistributionTask, DateTime, Task> change, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var task = await DistributionQueries.ManageableAsync(db, actor, taskId, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            await change(db, task, now);
            task.Revision++;
            AuditLog.Add(db, clock, actor.Id, action, task.OnBehalfOfId ?? actor.Id, null, $"{action.Chinese()} {task.Name}（#{task.Id}）");
            await db.SaveOrConflictAsync(ct, "任务状态已被其他操作改变，请刷新后重试");
            await tx.CommitAsync(ct);
        }
        signal.Poke();
        return await DistributionQueries.ViewAsync(db, taskId, ct);
    }
}

public static class DistributionStatusNames
{
    public static string Chinese(this DistributionStatus status) => status switch
    {
        DistributionStatus.Draft => "待确认",
        DistributionStatus.Running => "执行中",
        DistributionStatus.Paused => "已暂停",
        DistributionStatus.AutoPaused => "自动暂停",
        DistributionStatus.Completed => "已完成",
        DistributionStatus.Cancelled => "已取消",
        _ => status.ToString(),
    };
}
