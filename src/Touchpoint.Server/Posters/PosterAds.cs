using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Common;
using Touchpoint.Core.Posters;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Posters;

/// <summary>A gateway 投放计划 as ad.query and ad.batchquery answer it.</summary>
public sealed record PosterAdView(long Id, string PlanName, string Event, string? DeviceType, long MaterialId, string MaterialUrl, DateTime Start,
    DateTime? End, PosterAdStatus Status, IReadOnlyList<string> Sns, DateTime CreatedAtUtc, DateTime ModifiedAtUtc);

/// <summary>What ad.create asks for: the devices, the slot, the material, the plan's name and window (device time).</summary>
public sealed record NewPosterAd(IReadOnlyList<string> Sns, string? DeviceType, string? Event, long MaterialId, string? PlanName, DateTime? Start, DateTime? End);

/// <summary>
/// The advertiser methods' 投放计划 (alipay.commerce.iot.advertiser.ad.*): placements through the gateway path, so every
/// rule of the console holds (海报投放 on each device, 管理员模式, 3 + 3), grouped under an id the caller can narrow,
/// cancel and query. Plans belong to the account that made them; another account's plan id is "not found".
/// </summary>
public sealed class PosterAds(IDbContextFactory<TouchpointDb> factory, PosterLibrary library, PosterPlacements placements, PosterDelivery delivery,
    PosterTokens tokens, TimeProvider clock)
{
    public const int MaxPageSize = 100;

    /// <summary>material.create: the upload is checked as any poster upload and lands in the caller's library.</summary>
    public async Task<(long Id, string Url)> CreateMaterialAsync(Actor actor, string fileName, byte[] content, CancellationToken ct)
    {
        var name = Path.GetFileNameWithoutExtension(fileName)?.Trim();
        name = string.IsNullOrEmpty(name) ? "开放接口物料" : name.Length > Poster.NameMaxLength ? name[..Poster.NameMaxLength] : name;
        var poster = await library.UploadAsync(await NamedAsync(actor, ct), name, new MemoryStream(content, writable: false), ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var sha = await db.Posters.Where(p => p.Id == poster.Id).Select(p => p.ImageSha256).SingleAsync(ct);
        return (poster.Id, tokens.ContentUrl(0, sha));
    }

    public async Task<PosterAdView> CreateAsync(Actor actor, NewPosterAd request, CancellationToken ct)
    {
        var slot = string.IsNullOrWhiteSpace(request.Event) ? PosterAd.IdleEvent : request.Event.Trim();
        if (slot != PosterAd.IdleEvent)
        {
            throw TouchpointException.Invalid($"不支持的广告位 event：{slot}（支持 idle，即待机轮播）");
        }
        var name = request.PlanName?.Trim() ?? "";
        if (name.Length == 0)
        {
            throw TouchpointException.Invalid("缺少投放计划名称 plan_name");
        }
        if (name.Length > PosterAd.PlanNameMaxLength)
        {
            throw TouchpointException.Invalid($"投放计划名称不能超过 {PosterAd.PlanNameMaxLength} 个字");
        }
        var deviceType = request.DeviceType?.Trim() is { Length: > 0 } t ? t : null;
        if (deviceType is { Length: > 32 })
        {
            throw TouchpointException.Invalid("device_type 不能超过 32 个字符");
        }
        var ad = new PosterAd { PlanName = name, Event = slot, DeviceType = deviceType, Status = PosterAdStatus.Valid };
        await placements.PlaceAsync(await NamedAsync(actor, ct), new PlacementRequest(request.MaterialId, request.Sns, request.Start, request.End, null),
            PosterPath.Gateway, ct, ad);
        return await GetAsync(actor, ad.Id, ct);
    }

    /// <summary>ad.modify: takes the plan off the listed devices; the rest keep it.</summary>
    public Task<PosterAdView> RemoveDevicesAsync(Actor actor, long adId, IReadOnlyList<string> sns, CancellationToken ct) =>
        TakeDownAsync(actor, adId, sns.Select(s => Core.Devices.DeviceSn.Normalize(s ?? "")).ToHashSet(StringComparer.Ordinal), ct);

    /// <summary>ad.cancel: takes the plan off every device; a cancelled plan stays queryable.</summary>
    public Task<PosterAdView> CancelAsync(Actor actor, long adId, CancellationToken ct) => TakeDownAsync(actor, adId, null, ct);

    public async Task<PosterAdView> GetAsync(Actor actor, long adId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var ad = await OwnAsync(db, actor, adId, ct);
        return (await ViewsAsync(db, [ad], ct))[0];
    }

    public async Task<(IReadOnlyList<PosterAdView> Items, int Total)> ListAsync(Actor actor, int page, int pageSize, CancellationToken ct)
    {
        if (page < 1 || pageSize is < 1 or > MaxPageSize)
        {
            throw TouchpointException.Invalid($"page_num 从 1 开始，page_size 须在 1–{MaxPageSize} 之间");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var mine = Visible(db, actor);
        var total = await mine.CountAsync(ct);
        var ads = await mine.OrderByDescending(a => a.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return (await ViewsAsync(db, ads, ct), total);
    }

    private async Task<PosterAdView> TakeDownAsync(Actor actor, long adId, HashSet<string>? only, CancellationToken ct)
    {
        actor = await NamedAsync(actor, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var ad = await OwnAsync(db, actor, adId, ct);
        if (ad.Status == PosterAdStatus.Cancelled)
        {
            throw TouchpointException.Conflict("该投放计划已取消");
        }
        var live = await (from p in db.DevicePosters.AsNoTracking()
                          join d in db.Devices.AsNoTracking() on p.DeviceId equals d.Id
                          where p.AdId == ad.Id && p.RemovedAtUtc == null
                          select new { p.Id, p.DeviceId, p.PosterId, d.Sn, d.OwnerId }).ToListAsync(ct);
        if (only is not null)
        {
            var unknown = only.Except(live.Select(l => l.Sn), StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                throw TouchpointException.Invalid($"以下设备不在该投放计划中：{string.Join("、", unknown.Order(StringComparer.Ordinal).Take(20))}");
            }
            live = live.Where(l => only.Contains(l.Sn)).ToList();
        }
        var poster = await db.Posters.AsNoTracking().SingleAsync(p => p.Id == ad.PosterId, ct);
        var ids = live.Select(l => l.DeviceId).Distinct().ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        var reason = only is null ? "投放计划已取消" : "已从投放计划中移除";
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await PosterPlacements.BumpRevisionsAsync(db, ids, ct);
            var placementIds = live.Select(l => l.Id).ToList();
            await db.DevicePosters.Where(p => EF.Parameter(placementIds).Contains(p.Id) && p.RemovedAtUtc == null).ExecuteUpdateAsync(u => u
                .SetProperty(p => p.RemovedAtUtc, now).SetProperty(p => p.RemovedById, actor.Id).SetProperty(p => p.RemovedReason, reason), ct);
            db.PosterSlotEvents.AddRange(live.Select(l => new PosterSlotEvent
            {
                DeviceId = l.DeviceId, PosterId = l.PosterId, PlacementId = l.Id, Change = PosterSlotChange.Removed, Path = PosterPath.Gateway,
                ActorId = actor.Id, ActorName = actor.DisplayName, AtUtc = now, Detail = $"{reason}：「{ad.PlanName}」（海报「{poster.Name}」）",
            }));
            if (only is null)
            {
                await db.PosterAds.Where(a => a.Id == ad.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.Status, PosterAdStatus.Cancelled).SetProperty(a => a.ModifiedAtUtc, now), ct);
            }
            else
            {
                await db.PosterAds.Where(a => a.Id == ad.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.ModifiedAtUtc, now), ct);
            }
            foreach (var owner in live.GroupBy(l => l.OwnerId))
            {
                var first = owner.First();
                Audit.AuditLog.Add(db, clock, actor.Id, Core.Audit.AuditAction.PosterRemoved, owner.Key, owner.Count() == 1 ? (first.DeviceId, first.Sn) : null,
                    $"开放接口{reason}「{ad.PlanName}」，撤下海报「{poster.Name}」（{owner.Count()} 台设备）");
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        await delivery.PublishAsync(ids, ct);
        db.ChangeTracker.Clear();
        return (await ViewsAsync(db, [await OwnAsync(db, actor, adId, ct)], ct))[0];
    }

    /// <summary>
    /// The plans a caller sees: its own (on behalf: those made for the merchant whose token it holds), and — for a merchant
    /// — those a provider made on its behalf.
    /// </summary>
    private static IQueryable<PosterAd> Visible(TouchpointDb db, Actor actor)
    {
        var (id, merchant) = (actor.Id, actor.OnBehalfOfId);
        return db.PosterAds.AsNoTracking().Where(a => (a.OwnerId == id && a.OnBehalfOfId == merchant) || (merchant == null && a.OnBehalfOfId == id));
    }

    private static async Task<PosterAd> OwnAsync(TouchpointDb db, Actor actor, long adId, CancellationToken ct) =>
        await Visible(db, actor).SingleOrDefaultAsync(a => a.Id == adId, ct)
            ?? throw TouchpointException.NotFound($"投放计划 {adId.ToString(CultureInfo.InvariantCulture)} 不存在");

    private async Task<IReadOnlyList<PosterAdView>> ViewsAsync(TouchpointDb db, IReadOnlyList<PosterAd> ads, CancellationToken ct)
    {
        var adIds = ads.Select(a => (long?)a.Id).ToList();
        var posterIds = ads.Select(a => a.PosterId).Distinct().ToList();
        var sns = (await (from p in db.DevicePosters.AsNoTracking()
                          join d in db.Devices.AsNoTracking() on p.DeviceId equals d.Id
                          where EF.Parameter(adIds).Contains(p.AdId) && p.RemovedAtUtc == null
                          select new { p.AdId, d.Sn }).ToListAsync(ct)).ToLookup(x => x.AdId!.Value, x => x.Sn);
        var shas = await db.Posters.AsNoTracking().Where(p => EF.Parameter(posterIds).Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.ImageSha256, ct);
        return ads.Select(a => new PosterAdView(a.Id, a.PlanName, a.Event, a.DeviceType, a.PosterId, tokens.ContentUrl(0, shas[a.PosterId]),
            a.WindowStart, a.WindowEnd, a.Status, sns[a.Id].Order(StringComparer.Ordinal).ToList(), a.CreatedAtUtc, a.ModifiedAtUtc)).ToList();
    }

    /// <summary>
    /// A gateway actor carries no display name: the placements and the slot history name the account (and the merchant it
    /// acted for), as the troubleshooting tool shows them.
    /// </summary>
    private async Task<Actor> NamedAsync(Actor actor, CancellationToken ct)
    {
        if (actor.DisplayName.Length > 0)
        {
            return actor;
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var name = await db.Accounts.Where(a => a.Id == actor.Id).Select(a => a.DisplayName).SingleOrDefaultAsync(ct) ?? "";
        return actor with { DisplayName = name };
    }
}
