using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Common;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Distribution;
using Touchpoint.Core.Grants;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Common;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Distribution;

/// <summary>Device rows of the task wizard's picker, each with the rule's verdict for the chosen app and action.</summary>
public sealed record PickerRow(string Sn, DeviceType Type, string Model, bool IsOnline, string? AndroidVersion, NetworkType NetworkType,
    string? InstalledVersion, bool CanRun, SkipReason? Reason, string? WhyNot);

/// <summary>Reads of tasks, their targets and steps; who sees a task: its creator, the merchant it ran for, the operator.</summary>
public sealed class DistributionQueries(IDbContextFactory<TouchpointDb> factory, DeviceAccess access, TimeProvider clock)
{
    public static async Task<DistributionTask> ManageableAsync(TouchpointDb db, Actor actor, long taskId, CancellationToken ct)
    {
        var task = await db.DistributionTasks.SingleOrDefaultAsync(t => t.Id == taskId, ct);
        if (task is null || !(task.CreatedById == actor.Id || task.OnBehalfOfId == actor.Id || actor.Is(AccountRole.Operator)))
        {
            throw TouchpointException.NotFound($"分发任务不存在：{taskId}");
        }
        if (task.CreatedById != actor.Id && task.OnBehalfOfId != actor.Id)
        {
            throw TouchpointException.Forbidden("平台运营只能查看分发任务");
        }
        if (actor.OnBehalfOfId is { } merchant && task.OnBehalfOfId != merchant && task.CreatedById != merchant)
        {
            throw TouchpointException.NotFound($"分发任务不存在：{taskId}");
        }
        return task;
    }

    private static async Task<DistributionTask> VisibleAsync(TouchpointDb db, Actor actor, long taskId, CancellationToken ct)
    {
        var task = await db.DistributionTasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == taskId, ct);
        var visible = task is not null && (task.CreatedById == actor.Id || task.OnBehalfOfId == actor.Id || actor.Is(AccountRole.Operator))
            && (actor.OnBehalfOfId is not { } merchant || task.OnBehalfOfId == merchant || task.CreatedById == merchant);
        return visible ? task! : throw TouchpointException.NotFound($"分发任务不存在：{taskId}");
    }

    public async Task<Paged<DistributionTaskView>> ListAsync(Actor actor, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = db.DistributionTasks.AsNoTracking()
            .Where(t => t.CreatedById == actor.Id || t.OnBehalfOfId == actor.Id || actor.Role == AccountRole.Operator)
            .OrderByDescending(t => t.Id).Select(t => t.Id);
        var ids = await query.ToPageAsync(page, ct);
        var views = new List<DistributionTaskView>();
        foreach (var id in ids.Items)
        {
            views.Add(await ViewAsync(db, id, ct));
        }
        return ids.With(views);
    }

    public async Task<DistributionTaskView> GetAsync(Actor actor, long taskId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await VisibleAsync(db, actor, taskId, ct);
        return await ViewAsync(db, taskId, ct);
    }

    /// <summary>The task with its counts by state and by wave, from two GROUP BY queries (cheap at 100,000 devices).</summary>
    public static async Task<DistributionTaskView> ViewAsync(TouchpointDb db, long taskId, CancellationToken ct)
    {
        var task = await db.DistributionTasks.AsNoTracking().Include(t => t.Items).SingleAsync(t => t.Id == taskId, ct);
        // One GROUP BY over (wave, state) — the index holds both — gives the counts by state and by wave alike.
        var cells = await CellsAsync(db, taskId, ct);
        var counts = cells.GroupBy(c => c.State).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
        var waves = Waves(cells);
        var skipped = await db.DistributionTargets.Where(t => t.TaskId == taskId && t.State == TargetState.Skipped).GroupBy(t => t.SkipReason)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var devices = task.DeviceCount;
        var creator = await db.Accounts.Where(a => a.Id == task.CreatedById).Select(a => a.DisplayName).SingleAsync(ct);
        var appIds = task.Items.Select(i => i.CatalogueAppId).ToList();
        var versionIds = task.Items.Where(i => i.AppVersionId != null).Select(i => i.AppVersionId!.Value).ToList();
        var apps = await db.CatalogueApps.AsNoTracking().Where(a => appIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var versions = await db.AppVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, ct);
        var items = task.Action is DistributionAction.Restart or DistributionAction.FactoryReset ? [] : task.Items.OrderBy(i => i.Order).Select(i =>
        {
            var app = apps[i.CatalogueAppId];
            var version = i.AppVersionId is { } v ? versions[v] : null;
            return new TaskItemView(app.AppId, app.Name, app.Kind, version?.VersionName, version?.VersionCode);
        }).ToList();
        return new DistributionTaskView(task.Id, task.Name, task.Action, task.Action.Chinese(), task.Status, task.Status.Chinese(), task.StatusReason,
            task.Source, creator, task.CreatedAtUtc, task.StartedAtUtc, task.CompletedAtUtc, task.Remark, task.Policy, items, devices,
            counts.Values.Sum(), counts, waves.Select(w => new WaveView(w.Wave, w.Total, w.Succeeded, w.Failed, w.Final)).ToList(), task.OpenWave,
            skipped.Where(s => s.Key is not null).OrderByDescending(s => s.Count)
                .Select(s => new SkipCount(s.Key!.Value, s.Key.Value.Chinese(), s.Count)).ToList());
    }

    private sealed record Cell(int Wave, TargetState State, int Count);

    private static async Task<List<Cell>> CellsAsync(TouchpointDb db, long taskId, CancellationToken ct) =>
        await db.DistributionTargets.Where(t => t.TaskId == taskId).GroupBy(t => new { t.Wave, t.State })
            .Select(g => new Cell(g.Key.Wave, g.Key.State, g.Count())).ToListAsync(ct);

    private static List<WaveCounts> Waves(List<Cell> cells) =>
        cells.GroupBy(r => r.Wave).OrderBy(g => g.Key).Select(g => new WaveCounts(g.Key, g.Sum(r => r.Count),
            g.Where(r => r.State == TargetState.Succeeded).Sum(r => r.Count), g.Where(r => r.State == TargetState.Failed).Sum(r => r.Count),
            g.Where(r => r.State.IsFinal()).Sum(r => r.Count))).ToList();

    internal static async Task<List<WaveCounts>> WaveCountsAsync(TouchpointDb db, long taskId, CancellationToken ct) =>
        Waves(await CellsAsync(db, taskId, ct));

    public async Task<Paged<TargetRow>> TargetsAsync(Actor actor, long taskId, TargetQuery query, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await VisibleAsync(db, actor, taskId, ct);
        var page = await Filter(db, taskId, query).OrderBy(t => t.Id).ToPageAsync(new PageRequest(query.Page, Math.Clamp(query.PageSize, 1, PageRequest.MaxSize)), ct);
        return page.With(await RowsAsync(db, page.Items, ct));
    }

    private static IQueryable<DistributionTarget> Filter(TouchpointDb db, long taskId, TargetQuery query)
    {
        var targets = db.DistributionTargets.AsNoTracking().Where(t => t.TaskId == taskId);
        if (query.State is { } state)
        {
            targets = targets.Where(t => t.State == state);
        }
        if (query.Reason is { Length: > 0 } reason)
        {
            var failure = Enum.GetValues<FailureReason>().Where(r => r.Wire() == reason || r.ToString() == reason).Cast<FailureReason?>().FirstOrDefault();
            var skip = Enum.GetValues<SkipReason>().Where(r => r.Wire() == reason || r.ToString() == reason).Cast<SkipReason?>().FirstOrDefault();
            targets = failure is not null ? targets.Where(t => t.FailureReason == failure)
                : skip is not null ? targets.Where(t => t.SkipReason == skip)
                : throw TouchpointException.Invalid($"未知的原因：{reason}");
        }
        if (query.Sn is { Length: > 0 } sn)
        {
            var normalized = sn.Trim().ToUpperInvariant();
            targets = targets.Where(t => t.Sn.Contains(normalized));
        }
        return targets;
    }

    private static async Task<List<TargetRow>> RowsAsync(TouchpointDb db, IReadOnlyList<DistributionTarget> targets, CancellationToken ct)
    {
        var itemIds = targets.Where(t => t.ItemId != null).Select(t => t.ItemId!.Value).Distinct().ToList();
        var apps = await (from i in db.DistributionTaskItems
                          join a in db.CatalogueApps on i.CatalogueAppId equals a.Id
                          where itemIds.Contains(i.Id)
                          select new { i.Id, a.AppId, a.Name, i.AppVersionId }).ToDictionaryAsync(x => x.Id, ct);
        return targets.Select(t =>
        {
            var app = t.ItemId is { } item ? apps.GetValueOrDefault(item) : null;
            return new TargetRow(t.Id, t.Sn, app?.AppId ?? "", app?.Name ?? "", t.Wave, t.State, t.State.Chinese(), t.Attempt, t.Progress, t.SkipReason,
                t.FailureReason, t.FailureReason?.Chinese() ?? t.SkipReason?.Chinese(), t.FailureReason?.Advice(), t.Message, t.WaitingFor,
                t.FromVersion, t.ReportedVersion, t.UpdatedAtUtc, t.CompletedAtUtc);
        }).ToList();
    }

    public async Task<IReadOnlyList<StepRow>> StepsAsync(Actor actor, long taskId, long targetId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await VisibleAsync(db, actor, taskId, ct);
        if (!await db.DistributionTargets.AnyAsync(t => t.Id == targetId && t.TaskId == taskId, ct))
        {
            throw TouchpointException.NotFound("该设备不在任务中");
        }
        return await StepRowsAsync(db, targetId, ct);
    }

    private static async Task<List<StepRow>> StepRowsAsync(TouchpointDb db, long targetId, CancellationToken ct) =>
        (await db.DistributionSteps.AsNoTracking().Where(s => s.TargetId == targetId).OrderBy(s => s.Id).Take(200).ToListAsync(ct))
        .Select(s => new StepRow(s.AtUtc, s.State, s.State.Chinese(), s.Attempt, s.Source == "device" ? "设备上报" : "平台", s.FailureReason?.Chinese(), s.Message))
        .ToList();

    public static readonly string[] ExportHeaders = ["SN", "应用", "应用ID", "批次", "状态", "原因", "处理建议", "设备信息", "执行前版本", "当前版本", "尝试次数", "更新时间"];

    public async Task WriteExportAsync(Actor actor, long taskId, TargetQuery query, ExportFormat format, Stream output, CancellationToken ct)
    {
        await using (var check = await factory.CreateDbContextAsync(ct))
        {
            await VisibleAsync(check, actor, taskId, ct);
        }
        var rows = ExportRowsAsync(taskId, query, ct);
        if (format == ExportFormat.Csv)
        {
            await CsvWriter.WriteAsync(output, ExportHeaders, rows, ct);
        }
        else
        {
            await XlsxStreamWriter.WriteAsync(output, "执行详情", ExportHeaders, rows, ct);
        }
    }

    private async IAsyncEnumerable<string[]> ExportRowsAsync(long taskId, TargetQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var cursorDb = await factory.CreateDbContextAsync(ct);
        await using var lookupDb = await factory.CreateDbContextAsync(ct);
        var batch = new List<DistributionTarget>(1000);
        await foreach (var target in Filter(cursorDb, taskId, query).OrderBy(t => t.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            batch.Add(target);
            if (batch.Count == 1000)
            {
                foreach (var row in await RowsAsync(lookupDb, batch, ct))
                {
                    yield return Export(row);
                }
                batch.Clear();
            }
        }
        foreach (var row in await RowsAsync(lookupDb, batch, ct))
        {
            yield return Export(row);
        }
    }

    private static string[] Export(TargetRow r) =>
    [
        r.Sn, r.AppName, r.AppId, r.Wave.ToString(System.Globalization.CultureInfo.InvariantCulture), r.StateName, r.Reason ?? "", r.Advice ?? "",
        r.Message ?? "", r.FromVersion ?? "", r.ReportedVersion ?? "", r.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ChinaTime.Format(r.UpdatedAtUtc),
    ];

    /// <summary>IoT应用分发排查: from a device SN and an app ID, every task that touched the pair, each step, and what to do next.</summary>
    public async Task<TroubleshootReport> TroubleshootAsync(Actor actor, string sn, string appId, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(appId))
        {
            throw TouchpointException.Invalid("请输入分发应用的 APPID");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        // A distribution question: the owner, a grantee with 应用分发, or platform support (the operator views).
        var device = await access.RequireAsync(db, actor, sn, actor.Is(AccountRole.Operator) ? DeviceOperation.View : DeviceOperation.AppDistribution, ct);
        var id = appId.Trim();
        var app = await db.CatalogueApps.AsNoTracking().SingleOrDefaultAsync(a => a.AppId == id, ct);
        // Whose tasks show: all of them to the device's owner and to support; a grantee its own (and those run for it).
        var everyTask = actor.Is(AccountRole.Operator) || device.OwnerId == actor.Id;
        var visibleApp = app is not null && (app.OwnerId == actor.Id || app.IsOpen || everyTask
            || await db.DistributionTargets.AnyAsync(t => t.DeviceId == device.Id && db.DistributionTaskItems.Any(i => i.Id == t.ItemId && i.CatalogueAppId == app.Id)
                && db.DistributionTasks.Any(k => k.Id == t.TaskId && (k.CreatedById == actor.Id || k.OnBehalfOfId == actor.Id)), ct));
        if (app is null || !visibleApp)
        {
            throw TouchpointException.NotFound($"分发应用不存在：{id}");
        }
        var installed = app.PackageName is null ? null
            : await db.DeviceApps.AsNoTracking().SingleOrDefaultAsync(a => a.DeviceId == device.Id && a.PackageName == app.PackageName, ct);
        var targets = await (from t in db.DistributionTargets.AsNoTracking()
                             join i in db.DistributionTaskItems on t.ItemId equals (long?)i.Id
                             join task in db.DistributionTasks on t.TaskId equals task.Id
                             where t.DeviceId == device.Id && i.CatalogueAppId == app.Id
                                 && (everyTask || task.CreatedById == actor.Id || task.OnBehalfOfId == actor.Id)
                             orderby t.Id descending
                             select new { Target = t, Task = task, i.AppVersionId }).Take(20).ToListAsync(ct);
        var versionIds = targets.Where(t => t.AppVersionId != null).Select(t => t.AppVersionId!.Value).Distinct().ToList();
        var versions = await db.AppVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.VersionName, ct);
        var tasks = new List<TroubleshootTask>();
        foreach (var x in targets)
        {
            var t = x.Target;
            tasks.Add(new TroubleshootTask(x.Task.Id, x.Task.Name, x.Task.Action.Chinese(), x.Task.Status.Chinese(),
                x.AppVersionId is { } v ? versions.GetValueOrDefault(v) : null, t.State, t.State.Chinese(),
                t.FailureReason?.Chinese() ?? t.SkipReason?.Chinese(), t.FailureReason?.Advice() ?? Advice(t), t.Message,
                await StepRowsAsync(db, t.Id, ct)));
        }
        var summary = tasks.FirstOrDefault() switch
        {
            null => $"没有分发任务涉及设备 {device.Sn} 和应用 {app.Name}",
            { State: TargetState.Succeeded } last => $"最近一次分发（任务 #{last.TaskId}）已成功，设备当前版本 {installed?.Version ?? "未安装"}",
            { State: TargetState.Failed } last => $"最近一次分发失败：{last.Reason}。{last.Advice}",
            { State: TargetState.Skipped } last => $"最近一次分发被跳过：{last.Reason}",
            { State: TargetState.Pending } last => $"等待执行：{targets[0].Target.WaitingFor ?? "任务未开始或等待下发"}",
            var last => $"正在执行：{last.StateName}",
        };
        return new TroubleshootReport(device.Sn, app.AppId, app.Name, installed?.Version, installed?.VersionCode, device.IsOnline,
            device.LastOnlineAtUtc, tasks, summary);
    }

    private static string? Advice(DistributionTarget t) => t.State switch
    {
        TargetState.Skipped => "设备不满足分发条件；确认设备能力（IoT SDK / xPaaS / Smile、蚂蚁 OS、安卓版本、型号）后重新创建任务",
        TargetState.Pending => t.WaitingFor is null ? null : "设备满足条件后自动执行",
        _ => null,
    };

    /// <summary>The picker: every device the actor may distribute to (filtered, paged) with the rule's verdict for this app.</summary>
    public async Task<Paged<PickerRow>> PickerAsync(Actor actor, DistributionAction action, string? appId, long? versionCode, bool bootStart,
        int? maxOfflineDays, DeviceSelection filter, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        CatalogueApp? app = null;
        AppVersion? version = null;
        if (action is not (DistributionAction.Restart or DistributionAction.FactoryReset))
        {
            app = await CatalogueService.VisibleAsync(db, actor, appId ?? "", ct);
            version = versionCode is { } code ? app.Versions.FirstOrDefault(v => v.VersionCode == code) : app.Versions.MaxBy(v => v.VersionCode);
        }
        var query = DeviceAccess.Permitted(db, actor, DistributionService.PermissionFor(action), now).AsNoTracking();
        query = filter.Filter(query);
        if (filter.Sns is { Count: > 0 } sns)
        {
            var part = sns[0].Trim().ToUpperInvariant();
            query = query.Where(d => d.Sn.Contains(part));
        }
        var devices = await query.OrderBy(d => d.Sn).ToPageAsync(page, ct);
        var ids = devices.Items.Select(d => d.Id).ToList();
        var package = app?.PackageName;
        var installed = package is null ? [] : await db.DeviceApps.AsNoTracking().Where(a => ids.Contains(a.DeviceId) && a.PackageName == package)
            .ToDictionaryAsync(a => a.DeviceId, ct);
        return devices.Map(d =>
        {
            var current = installed.GetValueOrDefault(d.Id);
            var facts = new DeviceFacts(d.AndroidVersion, d.Capabilities, d.AntOs, d.ManufacturerId, d.Model, d.LastOnlineAtUtc,
                current is null ? null : new InstalledApp(current.Version, current.VersionCode));
            var verdict = CapabilityRule.Decide(facts, new DistributionRequest(app?.Kind, action, version?.VersionCode, version?.MinSdk,
                app?.ManufacturerId, app?.Model, bootStart, maxOfflineDays), now);
            return new PickerRow(d.Sn, d.Type, d.Model, d.IsOnline, d.AndroidVersion, d.NetworkType, current?.Version, verdict.CanRun, verdict.Reason,
                verdict.WhyNot);
        });
    }
}
