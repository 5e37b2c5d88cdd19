using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Common;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Grants;
using Touchpoint.Core.Posters;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Posters;

/// <summary>
/// Placing merchant posters on devices (R17, R18): every refusal — devices the placer may not use, devices not in the
/// mode the route needs, full slots with their holders — is found and said before anything is written, and found
/// again under the devices' row locks when confirming, so two placements racing for the last slot cannot both win.
/// </summary>
public sealed class PosterPlacements(IDbContextFactory<TouchpointDb> factory, DeviceAccess access, PosterDelivery delivery, TimeProvider clock,
    ILogger<PosterPlacements> logger)
{
    public const int MaxDevices = 10_000;
    public const int DefaultOrder = 10;

    /// <summary>What confirming would do, without doing it.</summary>
    public async Task<PlacementCheck> CheckAsync(Actor actor, PlacementRequest request, PosterPath path, CancellationToken ct)
    {
        var (window, order, sns) = Read(request);
        await using var db = await factory.CreateDbContextAsync(ct);
        var devices = await DevicesAsync(db, actor, sns, ct);
        var poster = await PosterAsync(db, actor, request.PosterId, ct);
        return await EvaluateAsync(db, poster, devices, window, path, ct, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Places the poster; with <paramref name="ad"/>, the placements form that gateway 投放计划, written in the same transaction.</summary>
    public async Task<PlacementResult> PlaceAsync(Actor actor, PlacementRequest request, PosterPath path, CancellationToken ct, PosterAd? ad = null)
    {
        var (window, order, sns) = Read(request);
        var started = clock.GetTimestamp();
        await using var db = await factory.CreateDbContextAsync(ct);
        var devices = await DevicesAsync(db, actor, sns, ct);
        var resolved = clock.GetTimestamp();
        long checkedAt;
        var poster = await PosterAsync(db, actor, request.PosterId, ct);
        var ids = devices.Select(d => d.Id).ToList();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // First: the check below then sees every placement committed before ours, and none can slip in after it.
            await BumpRevisionsAsync(db, ids, ct);
            var locked = await db.Devices.AsNoTracking().Where(d => EF.Parameter(ids).Contains(d.Id))
                .Select(d => new DeviceFacts(d.Id, d.Sn, d.OwnerId, d.PosterAdminMode, d.TimeZone)).ToListAsync(ct);
            var check = await EvaluateAsync(db, poster, locked, window, path, ct, clock.GetUtcNow().UtcDateTime);
            if (check.Refusal is { } refusal)
            {
                throw check.Conflicts.Count > 0 || check.AlreadyPlaced.Count > 0 ? TouchpointException.Conflict(refusal) : TouchpointException.Forbidden(refusal);
            }
            checkedAt = clock.GetTimestamp();
            var now = clock.GetUtcNow().UtcDateTime;
            if (ad is not null)
            {
                (ad.PosterId, ad.OwnerId, ad.OnBehalfOfId, ad.WindowStart, ad.WindowEnd, ad.CreatedAtUtc, ad.ModifiedAtUtc) =
                    (poster.Id, actor.Id, actor.OnBehalfOfId, window.Start, window.End, now, now);
                db.PosterAds.Add(ad);
                await db.SaveChangesAsync(ct);
            }
            await PlacementBulkWriter.WriteAsync(db, locked.Select(d => d.Id).ToList(), new DevicePoster
            {
                PosterId = poster.Id, Kind = poster.Kind, WindowStart = window.Start, WindowEnd = window.End, Order = order,
                Path = path, PlacedById = actor.Id, PlacedByName = actor.DisplayName, PlacedAtUtc = now, AdId = ad?.Id,
            }, Describe(poster.Name, window, order), ct);
            foreach (var owner in locked.GroupBy(d => d.OwnerId))
            {
                var first = owner.First();
                Audit.AuditLog.Add(db, clock, actor.Id, Core.Audit.AuditAction.PosterPlaced, owner.Key,
                    owner.Count() == 1 ? (first.Id, first.Sn) : null,
                    $"投放海报「{poster.Name}」到 {owner.Count()} 台设备（{PathName(path)}），{Describe(poster.Name, window, order)}");
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        var committed = clock.GetTimestamp();
        await delivery.PublishAsync(ids, ct);
        // For an operator (and the fleet benchmark): where a large placement spends its time.
        logger.LogInformation("Poster {PosterId} placed on {Count} devices in {Total:F0} ms: devices resolved {Resolved:F0} ms, locked and checked {Checked:F0} ms, written {Written:F0} ms, schedules sent {Sent:F0} ms",
            poster.Id, devices.Count, clock.GetElapsedTime(started).TotalMilliseconds, clock.GetElapsedTime(started, resolved).TotalMilliseconds,
            clock.GetElapsedTime(resolved, checkedAt).TotalMilliseconds, clock.GetElapsedTime(checkedAt, committed).TotalMilliseconds,
            clock.GetElapsedTime(committed).TotalMilliseconds);
        return new PlacementResult(devices.Count, devices.Select(d => d.Sn).ToList());
    }

    /// <summary>
    /// Takes a placement down. Its placer, the device's owner and a grantee with 海报投放 may take down a merchant poster;
    /// a platform campaign's poster is the platform's to withdraw (with a reason), never a merchant's.
    /// </summary>
    public async Task RemoveAsync(Actor actor, long placementId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var placement = await db.DevicePosters.SingleOrDefaultAsync(p => p.Id == placementId && p.RemovedAtUtc == null, ct)
            ?? throw TouchpointException.NotFound("该海报投放不存在或已撤下");
        var device = await db.Devices.AsNoTracking().SingleAsync(d => d.Id == placement.DeviceId, ct);
        if (!await access.AllowsAsync(db, actor, device.Id, device.OwnerId, DeviceOperation.View, ct, device.ManufacturerId))
        {
            throw TouchpointException.NotFound("该海报投放不存在或已撤下");
        }
        if (placement.Path == PosterPath.Campaign)
        {
            throw TouchpointException.Forbidden("中心化海报由平台统一投放，商家不能撤下；如有疑问请联系平台客服，平台撤下时会在此说明原因");
        }
        if (placement.PlacedById != actor.Id && !await access.AllowsAsync(db, actor, device.Id, device.OwnerId, DeviceOperation.Poster, ct, device.ManufacturerId))
        {
            throw TouchpointException.Forbidden($"您没有设备 {device.Sn} 的“海报投放”权限，不能撤下这张海报");
        }
        var poster = await db.Posters.AsNoTracking().SingleAsync(p => p.Id == placement.PosterId, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await BumpRevisionsAsync(db, [device.Id], ct);
        var now = clock.GetUtcNow().UtcDateTime;
        // Conditional: a second remove racing this one finds it already down.
        var taken = await db.DevicePosters.Where(p => p.Id == placementId && p.RemovedAtUtc == null).ExecuteUpdateAsync(u => u
            .SetProperty(p => p.RemovedAtUtc, now).SetProperty(p => p.RemovedById, actor.Id).SetProperty(p => p.RemovedReason, "撤下"), ct);
        if (taken == 0)
        {
            throw TouchpointException.NotFound("该海报投放不存在或已撤下");
        }
        db.PosterSlotEvents.Add(new PosterSlotEvent
        {
            DeviceId = device.Id, PosterId = placement.PosterId, PlacementId = placement.Id, Change = PosterSlotChange.Removed, Path = PosterPath.Console,
            ActorId = actor.Id, ActorName = actor.DisplayName, AtUtc = now, Detail = $"撤下海报「{poster.Name}」",
        });
        Audit.AuditLog.Add(db, clock, actor.Id, Core.Audit.AuditAction.PosterRemoved, device.OwnerId, (device.Id, device.Sn), $"撤下海报「{poster.Name}」");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await delivery.PublishAsync([device.Id], ct);
    }

    /// <summary>The devices the actor may place posters on (at most <see cref="MaxDevices"/>), with their mode: the page's picker.</summary>
    public async Task<IReadOnlyList<PlaceableDevice>> PlaceableAsync(Actor actor, DeviceFilter? filter, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await (filter ?? new DeviceFilter()).Apply(DeviceAccess.Permitted(db, actor, GrantPermissions.Poster, clock.GetUtcNow().UtcDateTime)).AsNoTracking()
            .OrderBy(d => d.Sn).Take(MaxDevices)
            .Select(d => new PlaceableDevice(d.Sn, d.Model, d.OwnerId == actor.Id, d.PosterAdminMode, d.IsOnline)).ToListAsync(ct);
    }

    /// <summary>The live placements of a device, for whoever sees it.</summary>
    public async Task<IReadOnlyList<PlacementView>> OnDeviceAsync(Actor actor, string sn, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.View, ct);
        return await LiveAsync(db, device.Id, device.Sn, ct);
    }

    internal static async Task<List<PlacementView>> LiveAsync(TouchpointDb db, long deviceId, string sn, CancellationToken ct) =>
        (await (from p in db.DevicePosters.AsNoTracking()
                join poster in db.Posters.AsNoTracking() on p.PosterId equals poster.Id
                where p.DeviceId == deviceId && p.RemovedAtUtc == null
                select new { p, poster.Name }).ToListAsync(ct))
            .OrderBy(x => x.p.Kind).ThenBy(x => x.p.Order).ThenBy(x => x.p.PosterId)
            .Select(x => new PlacementView(x.p.Id, sn, x.p.PosterId, x.Name, x.p.Kind == PosterKind.Merchant ? "商家海报" : "官方海报",
                x.p.WindowStart, x.p.WindowEnd, x.p.Order, x.p.Path.ToString(), PathName(x.p.Path), x.p.PlacedByName, x.p.PlacedAtUtc,
                PosterLibrary.ThumbnailUrl(x.p.PosterId)))
            .ToList();

    internal sealed record DeviceFacts(long Id, string Sn, long? OwnerId, bool AdminMode, string? TimeZone);

    private static (PosterWindow Window, int Order, List<string> Sns) Read(PlacementRequest request)
    {
        var sns = (request.Sns ?? []).Select(s => DeviceSn.Normalize(s ?? "")).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (sns.Count == 0)
        {
            throw TouchpointException.Invalid("请选择要投放的设备");
        }
        if (sns.Count > MaxDevices)
        {
            throw TouchpointException.Invalid($"一次最多投放 {MaxDevices} 台设备，请分批投放");
        }
        var window = Window(request.Start, request.End);
        var order = request.Order ?? DefaultOrder;
        if (order is < 1 or > 99)
        {
            throw TouchpointException.Invalid("播放顺序须在 1–99 之间（数字小的先播）");
        }
        return (window, order, sns);
    }

    private static async Task<Poster> PosterAsync(TouchpointDb db, Actor actor, long posterId, CancellationToken ct)
    {
        var poster = await db.Posters.AsNoTracking().SingleOrDefaultAsync(p => p.Id == posterId && p.OwnerId == actor.Id, ct)
            ?? throw TouchpointException.NotFound("海报不存在，请先上传到您的海报库");
        if (poster.Kind == PosterKind.Official)
        {
            throw TouchpointException.Invalid("官方海报通过中心化海报活动投放到设备的官方海报位");
        }
        return poster;
    }

    /// <summary>The requested devices the actor may place posters on; refuses naming the rest.</summary>
    private async Task<List<DeviceFacts>> DevicesAsync(TouchpointDb db, Actor actor, List<string> sns, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var found = await DeviceAccess.Permitted(db, actor, GrantPermissions.Poster, now).Where(d => EF.Parameter(sns).Contains(d.Sn))
            .Select(d => new DeviceFacts(d.Id, d.Sn, d.OwnerId, d.PosterAdminMode, d.TimeZone)).ToListAsync(ct);
        if (found.Count < sns.Count)
        {
            var missing = sns.Except(found.Select(d => d.Sn), StringComparer.Ordinal).ToList();
            throw TouchpointException.Forbidden($"以下设备不存在或您没有“海报投放”权限：{List(missing)}");
        }
        return found;
    }

    internal static async Task<PlacementCheck> EvaluateAsync(TouchpointDb db, Poster poster, List<DeviceFacts> devices, PosterWindow window,
        PosterPath path, CancellationToken ct, DateTime? utcNow = null)
    {
        var now = utcNow ?? DateTime.UtcNow;
        var notInMode = devices.Where(d => AdminMode.Refusal(d.AdminMode, path) is not null).Select(d => d.Sn).Order(StringComparer.Ordinal).ToList();
        var ids = devices.Select(d => d.Id).ToList();
        var live = await (from p in db.DevicePosters.AsNoTracking()
                          join holder in db.Posters.AsNoTracking() on p.PosterId equals holder.Id
                          where EF.Parameter(ids).Contains(p.DeviceId) && p.RemovedAtUtc == null && p.Kind == poster.Kind
                          select new { p, holder.Name }).ToListAsync(ct);
        // A placement whose window has ended where its device stands holds nothing any more.
        var localNow = devices.ToDictionary(d => d.Id, d => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(now, DateTimeKind.Utc), PosterRotation.Zone(d.TimeZone)));
        live = live.Where(l => l.p.WindowEnd is not { } end || end > localNow[l.p.DeviceId]).ToList();
        var names = live.Select(l => (l.p.PosterId, l.Name)).Distinct().ToDictionary(x => x.PosterId, x => x.Name);
        var paths = live.GroupBy(l => (l.p.DeviceId, l.p.PosterId, l.p.PlacedByName)).ToDictionary(g => g.Key, g => g.First().p.Path);
        var bySn = devices.ToDictionary(d => d.Id, d => d.Sn);
        var already = live.Where(l => l.p.PosterId == poster.Id && new PosterWindow(l.p.WindowStart, l.p.WindowEnd).Overlaps(window))
            .Select(l => bySn[l.p.DeviceId]).Distinct().Order(StringComparer.Ordinal).ToList();
        var byDevice = live.ToLookup(l => l.p.DeviceId, l => l.p.ToRule());
        var placements = devices.ToDictionary(d => d.Id, d => (IReadOnlyList<PosterPlacement>)byDevice[d.Id].ToList());
        var conflicts = PosterSlots.Conflicts(placements, poster.Kind, window)
            .Select(c => new DeviceConflict(bySn[c.DeviceId], c.At, c.Holders.Select(h =>
            {
                var holderPath = paths.GetValueOrDefault((c.DeviceId, h.PosterId, h.PlacedBy), PosterPath.Console);
                return new SlotHolder(h.PosterId, names[h.PosterId], h.PlacedBy, PathName(holderPath));
            }).ToList()))
            .OrderBy(c => c.Sn, StringComparer.Ordinal).ToList();
        string? refusal = null;
        if (notInMode.Count > 0)
        {
            refusal = $"{AdminMode.Refusal(path != PosterPath.Clerk ? false : true, path)}。涉及设备：{List(notInMode)}";
        }
        else if (already.Count > 0)
        {
            refusal = $"海报「{poster.Name}」在该时段已投放到以下设备：{List(already)}";
        }
        else if (conflicts.Count > 0)
        {
            refusal = $"以下设备的{(poster.Kind == PosterKind.Merchant ? "商家" : "官方")}海报位已满（每台设备同一时间最多播放 {PosterSlots.PerKind} 张）：" +
                string.Join("；", conflicts.Take(20).Select(c =>
                    $"{c.Sn} {(c.At <= PosterWindow.Immediately ? "现在" : $"自 {c.At:yyyy-MM-dd HH:mm}（设备当地时间）起")}已由 {string.Join("、", c.Holders.Select(h => $"「{h.PosterName}」（{h.PlacedBy}，{h.Path}）"))} 占用")) +
                (conflicts.Count > 20 ? $"；等共 {conflicts.Count} 台" : "") + "。请调整投放时段，或先撤下其中一张";
        }
        return new PlacementCheck(devices.Count, conflicts, notInMode, already, refusal);
    }

    /// <summary>A requested window (no start: immediately; no end: until taken down), refused when it ends before it starts.</summary>
    internal static PosterWindow Window(DateTime? start, DateTime? end)
    {
        var window = new PosterWindow(start ?? PosterWindow.Immediately, end);
        return window.IsValid ? window : throw TouchpointException.Invalid("投放结束时间须晚于开始时间");
    }

    /// <summary>
    /// Moves these devices' schedules on. Inside a transaction it comes first: the update takes the devices' row locks
    /// (PostgreSQL) or the write lock (SQLite), so what the transaction checks next cannot change under it.
    /// </summary>
    internal static Task<int> BumpRevisionsAsync(TouchpointDb db, IReadOnlyCollection<long> deviceIds, CancellationToken ct) =>
        db.Devices.Where(d => EF.Parameter(deviceIds).Contains(d.Id)).ExecuteUpdateAsync(u => u.SetProperty(d => d.PosterRevision, d => d.PosterRevision + 1), ct);

    internal static string PathName(PosterPath path) => path switch
    {
        PosterPath.Console => "控制台投放",
        PosterPath.Clerk => "店员扫码投放",
        PosterPath.Gateway => "开放接口投放",
        _ => "平台中心化投放",
    };

    internal static string Describe(string name, PosterWindow window, int order) =>
        $"时段 {PosterWindow.Describe(window.Start)} 至 {(window.End is { } end ? end.ToString("yyyy-MM-dd HH:mm") : "撤下为止")}，顺序 {order}";

    private static string List(IReadOnlyList<string> sns) => sns.Count <= 20 ? string.Join("、", sns) : $"{string.Join("、", sns.Take(20))} 等 {sns.Count} 台";
}
