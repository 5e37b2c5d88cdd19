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

/// <summary>Dispatch: which pending devices go out this pass, claiming them once, sending and re-sending their jobs.</summary>
public sealed partial class DistributionWorker
{
    private sealed record Candidate(long Id, long DeviceId, string Sn, long? ItemId, int Attempt, bool IsOnline, NetworkType NetworkType, string? TimeZone,
        string? WaitingFor);

    /// <summary>The device time zones (among this task's pending devices) whose maintenance window is closed right now.</summary>
    private static async Task<(List<string> Closed, bool ChinaClosed)> ClosedZonesAsync(TouchpointDb db, DistributionTask task, DateTime now,
        CancellationToken ct)
    {
        if (task.Policy is not { WindowStartMinute: { } start, WindowEndMinute: { } end })
        {
            return ([], false);
        }
        var zones = await (from t in db.DistributionTargets
                           join d in db.Devices on t.DeviceId equals d.Id
                           where t.TaskId == task.Id && t.State == TargetState.Pending && d.TimeZone != null
                           select d.TimeZone).Distinct().Take(500).ToListAsync(ct);
        return (zones.Where(z => !Rollout.InWindow(now, Rollout.Zone(z), start, end)).Select(z => z!).ToList(),
            !Rollout.InWindow(now, Rollout.Zone(null), start, end));
    }

    /// <summary>Says on each held-back row why it waits — written once per reason, not every pass.</summary>
    private static async Task MarkWaitingAsync(TouchpointDb db, DistributionTask task, List<string> closedZones, bool chinaClosed, CancellationToken ct)
    {
        var pending = db.DistributionTargets.Where(t => t.TaskId == task.Id && t.State == TargetState.Pending);
        if (task.Policy is { WindowStartMinute: { } start, WindowEndMinute: { } end })
        {
            var why = $"等待维护窗口 {start / 60:D2}:{start % 60:D2}–{end / 60:D2}:{end % 60:D2}（设备本地时间）";
            await pending.Where(t => t.WaitingFor != why && db.Devices.Any(d => d.Id == t.DeviceId
                    && (d.TimeZone == null ? chinaClosed : closedZones.Contains(d.TimeZone))))
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.WaitingFor, why), ct);
        }
        if (task.Policy.WifiOnly)
        {
            const string why = "仅 Wi-Fi 下载：设备使用蜂窝网络，等待连接 Wi-Fi";
            await pending.Where(t => t.WaitingFor == null && db.Devices.Any(d => d.Id == t.DeviceId && d.NetworkType == Touchpoint.Core.Devices.NetworkType.Cellular))
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.WaitingFor, why), ct);
        }
    }

    private sealed record Claimed(long Id, int Attempt);

    private async Task DispatchAsync(TouchpointDb db, DistributionTask task, Dictionary<long, ItemInfo> items, DateTime now, CancellationToken ct)
    {
        var minuteAgo = now.AddMinutes(-1);
        var lastMinute = task.Policy.DevicesPerMinute is null ? 0
            : await db.DistributionTargets.CountAsync(t => t.TaskId == task.Id && t.DispatchedAtUtc > minuteAgo, ct);
        var budget = Rollout.Budget(task.Policy, lastMinute, options.Value.DispatchBatch);
        if (budget == 0 || !downlink.IsReady)
        {
            return;
        }
        // Devices offline longer than the task allows leave it (they would hold it open for ever).
        if (task.Policy.MaxOfflineDays is { } days)
        {
            var seen = now.AddDays(-days);
            await db.DistributionTargets.Where(t => t.TaskId == task.Id && t.State == TargetState.Pending
                    && db.Devices.Any(d => d.Id == t.DeviceId && !d.IsOnline && (d.LastOnlineAtUtc == null || d.LastOnlineAtUtc < seen)))
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.State, TargetState.Skipped).SetProperty(t => t.SkipReason, SkipReason.OfflineTooLong)
                    .SetProperty(t => t.Message, SkipReason.OfflineTooLong.Chinese()).SetProperty(t => t.CompletedAtUtc, now)
                    .SetProperty(t => t.UpdatedAtUtc, now), ct);
        }
        // Nothing to send while no device of the open waves is online: a task waiting for devices costs one EXISTS a pass.
        var openWave = task.OpenWave;
        if (!await db.DistributionTargets.AnyAsync(t => t.TaskId == task.Id && t.State == TargetState.Pending && t.Wave <= openWave
                && db.Devices.Any(d => d.Id == t.DeviceId && d.IsOnline), ct))
        {
            return;
        }
        // Gates decided in SQL, so that waiting devices are never read, rewritten or in the way of those behind them:
        // Wi-Fi only leaves cellular devices out; a maintenance window leaves out the time zones where it is closed now.
        var wifiOnly = task.Policy.WifiOnly;
        var zones = await ClosedZonesAsync(db, task, now, ct);
        var closedZones = zones.Closed;
        var chinaClosed = zones.ChinaClosed;
        await MarkWaitingAsync(db, task, closedZones, chinaClosed, ct);
        // The next app of each online device whose earlier apps have ended, in the open waves.
        var candidates = await (from t in db.DistributionTargets.AsNoTracking()
                                join d in db.Devices on t.DeviceId equals d.Id
                                where t.TaskId == task.Id && t.State == TargetState.Pending && t.Wave <= openWave && d.IsOnline
                                    && (!wifiOnly || d.NetworkType != Touchpoint.Core.Devices.NetworkType.Cellular)
                                    && !(d.TimeZone == null ? chinaClosed : closedZones.Contains(d.TimeZone))
                                    && !db.DistributionTargets.Any(o => o.TaskId == t.TaskId && o.DeviceId == t.DeviceId && o.ItemOrder < t.ItemOrder
                                        && o.State != TargetState.Succeeded && o.State != TargetState.Failed && o.State != TargetState.Skipped
                                        && o.State != TargetState.Cancelled)
                                orderby t.Id
                                select new Candidate(t.Id, t.DeviceId, t.Sn, t.ItemId, t.Attempt, d.IsOnline, d.NetworkType, d.TimeZone, t.WaitingFor))
            .Take(budget).ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return;
        }
        // The same rule in memory, for what SQL could not see (a zone name the database spells differently).
        var ready = candidates.Where(c => Rollout.WaitingFor(task.Policy, c.IsOnline, c.NetworkType, now, Rollout.Zone(c.TimeZone)) is null).ToList();
        ready = ready.Take(budget).ToList();
        if (ready.Count == 0)
        {
            return;
        }
        // The creator must still hold the permission on each device: a grant revoked mid-task stops it there.
        var creatorRole = await db.Accounts.Where(a => a.Id == task.CreatedById).Select(a => a.Role).SingleAsync(ct);
        var creator = new Actor(task.CreatedById, creatorRole, "") { OnBehalfOfId = task.OnBehalfOfId };
        var deviceIds = ready.Select(c => c.DeviceId).Distinct().ToList();
        var allowed = (await DeviceAccess.Permitted(db, creator, DistributionService.PermissionFor(task.Action), now)
            .Where(d => deviceIds.Contains(d.Id)).Select(d => d.Id).ToListAsync(ct)).ToHashSet();
        var skips = new List<(long Id, SkipReason Reason, string Message, bool Done)>();
        skips.AddRange(ready.Where(c => !allowed.Contains(c.DeviceId)).Select(c => (c.Id, SkipReason.NoPermission, "任务创建者已失去该设备的权限", false)));
        // The device may have changed since the pre-flight (upgraded by hand, reset, another stack): the rule again.
        skips.AddRange(await RejudgeAsync(db, task, items, ready.Where(c => allowed.Contains(c.DeviceId)).ToList(), now, ct));
        foreach (var skip in skips)
        {
            // A retry whose earlier attempt did land after all (its report came too late) succeeded: the app list says so.
            var (state, reason) = skip.Done ? (TargetState.Succeeded, (SkipReason?)null) : (TargetState.Skipped, skip.Reason);
            await db.DistributionTargets.Where(t => t.Id == skip.Id && t.State == TargetState.Pending).ExecuteUpdateAsync(u => u
                .SetProperty(t => t.State, state).SetProperty(t => t.SkipReason, reason)
                .SetProperty(t => t.Message, skip.Message).SetProperty(t => t.CompletedAtUtc, now).SetProperty(t => t.UpdatedAtUtc, now), ct);
        }
        var skipped = skips.Select(s => s.Id).ToHashSet();
        ready = ready.Where(c => !skipped.Contains(c.Id)).ToList();
        var claimed = await ClaimAsync(db, task, ready.Select(c => c.Id).ToArray(), now, ct);
        if (claimed.Count == 0)
        {
            return;
        }
        var byId = ready.ToDictionary(c => c.Id);
        foreach (var c in claimed)
        {
            db.DistributionSteps.Add(new DistributionStep
            {
                TargetId = c.Id, AtUtc = now, State = TargetState.Sent, Attempt = c.Attempt, Source = "platform",
                Message = c.Attempt > 1 ? $"第 {c.Attempt} 次下发" : "已下发到设备",
            });
        }
        await db.SaveChangesAsync(ct);
        foreach (var c in claimed)
        {
            var candidate = byId[c.Id];
            await SendAsync(db, task, candidate.ItemId is { } item ? items[item] : null, c.Id, c.Attempt, candidate.DeviceId, candidate.Sn, now, ct);
        }
    }

    /// <summary>Pending → sent for exactly these rows, once: FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has one writer.</summary>
    /// <remarks>
    /// Fenced by the task's status and revision as this pass read them: a pause or cancel committed meanwhile dispatches
    /// nothing more.
    /// </remarks>
    private static async Task<List<Claimed>> ClaimAsync(TouchpointDb db, DistributionTask task, long[] ids, DateTime now, CancellationToken ct)
    {
        if (ids.Length == 0)
        {
            return [];
        }
        var (taskId, revision) = (task.Id, task.Revision);
        if (db.Database.IsNpgsql())
        {
            return await db.Database.SqlQuery<Claimed>($"""
                UPDATE "DistributionTargets" SET "State" = 'Sent', "Attempt" = "Attempt" + 1, "DispatchedAtUtc" = {now}, "UpdatedAtUtc" = {now},
                    "Progress" = 0, "WaitingFor" = NULL, "InstalledAtUtc" = NULL
                WHERE "Id" IN (SELECT "Id" FROM "DistributionTargets" WHERE "Id" = ANY({ids}) AND "State" = 'Pending' FOR UPDATE SKIP LOCKED)
                    AND EXISTS (SELECT 1 FROM "DistributionTasks" WHERE "Id" = {taskId} AND "Status" = 'Running' AND "Revision" = {revision})
                RETURNING "Id", "Attempt"
                """).ToListAsync(ct);
        }
        var json = JsonSerializer.Serialize(ids);
        return await db.Database.SqlQuery<Claimed>($"""
            UPDATE "DistributionTargets" SET "State" = 'Sent', "Attempt" = "Attempt" + 1, "DispatchedAtUtc" = {now}, "UpdatedAtUtc" = {now},
                "Progress" = 0, "WaitingFor" = NULL, "InstalledAtUtc" = NULL
            WHERE "Id" IN (SELECT value FROM json_each({json})) AND "State" = 'Pending'
                AND EXISTS (SELECT 1 FROM "DistributionTasks" WHERE "Id" = {taskId} AND "Status" = 'Running' AND "Revision" = {revision})
            RETURNING "Id", "Attempt"
            """).ToListAsync(ct);
    }

    /// <summary>The capability rule once more, on the devices about to be sent: what no longer fits is skipped with the reason.</summary>
    private static async Task<List<(long Id, SkipReason Reason, string Message, bool Done)>> RejudgeAsync(TouchpointDb db, DistributionTask task,
        Dictionary<long, ItemInfo> items, List<Candidate> ready, DateTime now, CancellationToken ct)
    {
        if (ready.Count == 0)
        {
            return [];
        }
        var ids = ready.Select(c => c.DeviceId).Distinct().ToList();
        var devices = await db.Devices.AsNoTracking().Where(d => ids.Contains(d.Id))
            .Select(d => new { d.Id, d.AndroidVersion, d.Capabilities, d.AntOs, d.ManufacturerId, d.Model, d.LastOnlineAtUtc }).ToDictionaryAsync(d => d.Id, ct);
        var packages = items.Values.Select(i => i.App.PackageName).Where(p => p is not null).Distinct().ToList();
        var apps = (await db.DeviceApps.AsNoTracking().Where(a => ids.Contains(a.DeviceId) && packages.Contains(a.PackageName))
            .Select(a => new { a.DeviceId, a.PackageName, a.Version, a.VersionCode }).ToListAsync(ct)).ToLookup(a => (a.DeviceId, a.PackageName));
        var skips = new List<(long, SkipReason, string, bool)>();
        foreach (var c in ready)
        {
            var d = devices[c.DeviceId];
            var info = c.ItemId is { } item ? items[item] : null;
            var installed = info is null ? null : apps[(c.DeviceId, info.App.PackageName!)].FirstOrDefault();
            var facts = new DeviceFacts(d.AndroidVersion, d.Capabilities, d.AntOs, d.ManufacturerId, d.Model, d.LastOnlineAtUtc,
                installed is null ? null : new InstalledApp(installed.Version, installed.VersionCode));
            var verdict = CapabilityRule.Decide(facts, new DistributionRequest(info?.App.Kind, task.Action, info?.Version?.VersionCode,
                info?.Version?.MinSdk, info?.App.ManufacturerId, info?.App.Model, task.Policy.BootStart), now);
            if (verdict.Reason is { } reason)
            {
                var landed = c.Attempt > 0 && info?.App.Kind != CatalogueKind.SystemImage
                    && ((reason == SkipReason.AlreadyAtVersion && task.Action is DistributionAction.Install or DistributionAction.Upgrade)
                        || (reason == SkipReason.NotInstalled && task.Action == DistributionAction.Uninstall));
                skips.Add((c.Id, reason, landed ? "上次尝试已生效：设备应用列表已是目标状态" : $"下发前复核：{reason.Chinese()}", landed));
            }
        }
        return skips;
    }

    private async Task SendAsync(TouchpointDb db, DistributionTask task, ItemInfo? info, long targetId, int attempt, long deviceId, string sn,
        DateTime now, CancellationToken ct)
    {
        if (task.Action is DistributionAction.Restart or DistributionAction.FactoryReset)
        {
            var kind = task.Action == DistributionAction.Restart ? CommandKind.Restart : CommandKind.FactoryReset;
            var commandId = await commands.EnqueueAsync(deviceId, sn, kind, task.CreatedById, online: true, ct);
            await db.DistributionTargets.Where(t => t.Id == targetId).ExecuteUpdateAsync(u => u.SetProperty(t => t.CommandId, commandId), ct);
            return;
        }
        if (info is null)
        {
            throw new InvalidOperationException($"target {targetId} of an app task has no app");
        }
        var version = info.Version;
        var message = new JobMessage
        {
            Id = targetId, Attempt = attempt, Action = task.Action.Wire(), Kind = info.App.Kind.Wire(), AppId = info.App.AppId, Name = info.App.Name,
            Package = info.App.PackageName!, VersionCode = version?.VersionCode, VersionName = version?.VersionName, MinSdk = version?.MinSdk,
            CertificateSha256 = version?.CertificateSha256, OsVersion = version?.OsVersion,
            Url = version is null ? null : downloads.Url(targetId, attempt, version.ArtifactSha256, TimeSpan.FromMinutes(task.Policy.DeviceTimeoutMinutes + 10)),
            Sha256 = version?.ArtifactSha256, Size = version?.SizeBytes, BootStart = task.Action == DistributionAction.SetBootStart || task.Policy.BootStart,
            ExpiresAt = now.AddMinutes(task.Policy.DeviceTimeoutMinutes),
        };
        // Saved as sent before this publish: if it is lost, the resend below sends the same (id, attempt) again and the
        // device runs it once.
        await downlink.PublishAsync(DeviceTopics.Down(sn, "job"), JsonSerializer.SerializeToUtf8Bytes(message), ct);
    }

    /// <summary>A job sent but never taken up (no progress report) is sent again while the device is online.</summary>
    private async Task ResendAsync(TouchpointDb db, DistributionTask task, Dictionary<long, ItemInfo> items, DateTime now, CancellationToken ct)
    {
        if (task.Action is DistributionAction.Restart or DistributionAction.FactoryReset || task.Status == DistributionStatus.Cancelled || !downlink.IsReady)
        {
            return;
        }
        var before = now.AddSeconds(-options.Value.ResendSeconds);
        var stale = await (from t in db.DistributionTargets.AsNoTracking()
                           join d in db.Devices on t.DeviceId equals d.Id
                           where t.TaskId == task.Id && t.State == TargetState.Sent && t.UpdatedAtUtc <= before && d.IsOnline
                           orderby t.Id
                           select new { t.Id, t.Attempt, t.ItemId, t.DeviceId, t.Sn }).Take(500).ToListAsync(ct);
        foreach (var t in stale)
        {
            // Guarded by the time read, so two nodes resending the same job publish it once.
            if (await db.DistributionTargets.Where(x => x.Id == t.Id && x.State == TargetState.Sent && x.Attempt == t.Attempt && x.UpdatedAtUtc <= before)
                    .ExecuteUpdateAsync(u => u.SetProperty(x => x.UpdatedAtUtc, now), ct) == 1)
            {
                await SendAsync(db, task, t.ItemId is { } item ? items[item] : null, t.Id, t.Attempt, t.DeviceId, t.Sn, now, ct);
            }
        }
    }
}
