using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Common;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Posters;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Posters;

/// <summary>A campaign to start: the operator's official poster, the filter (all null: every owned device) and the window.</summary>
public sealed record NewCampaign(string? Name, long PosterId, string? Region, DeviceType? Type, string? Model, DateTime? Start, DateTime? End);

public sealed record CampaignView(long Id, string Name, long PosterId, string PosterName, string Filter, DateTime Start, DateTime? End,
    int Placed, int SkippedFull, DateTime CreatedAtUtc, DateTime? WithdrawnAtUtc, string? WithdrawReason, string ThumbnailUrl);

public sealed record WithdrawCampaign(string? Reason);

/// <summary>
/// 中心化海报 (R21): the operator puts an official poster on every owned device a filter matches, into the official
/// slots (devices whose three are taken then are skipped and counted, not refused: a campaign goes where it fits).
/// Merchants see these posters and cannot take them down; platform support withdraws a campaign with a required reason,
/// which the merchants concerned see on the device's screen view, in its slot history and in their 操作日志.
/// </summary>
public sealed class PosterCampaigns(IDbContextFactory<TouchpointDb> factory, PosterDelivery delivery, TimeProvider clock)
{
    public const int MaxDevices = 100_000;

    public async Task<CampaignView> StartAsync(Actor actor, NewCampaign request, CancellationToken ct)
    {
        RequireOperator(actor);
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 60)
        {
            throw TouchpointException.Invalid("请填写活动名称（不超过 60 个字）");
        }
        var window = PosterPlacements.Window(request.Start, request.End);
        await using var db = await factory.CreateDbContextAsync(ct);
        var poster = await db.Posters.AsNoTracking().SingleOrDefaultAsync(p => p.Id == request.PosterId && p.OwnerId == actor.Id, ct)
            ?? throw TouchpointException.NotFound("海报不存在，请先上传到平台的官方海报库");
        var filter = new Devices.DeviceFilter(request.Region, request.Type, request.Model);
        var (region, model) = (filter.RegionPart, filter.ModelPart);
        var matched = filter.Apply(db.Devices.AsNoTracking().Where(d => d.OwnerId != null));
        var devices = await matched.OrderBy(d => d.Id).Take(MaxDevices + 1)
            .Select(d => new PosterPlacements.DeviceFacts(d.Id, d.Sn, d.OwnerId, d.PosterAdminMode, d.TimeZone)).ToListAsync(ct);
        if (devices.Count == 0)
        {
            throw TouchpointException.Invalid("没有符合条件的设备");
        }
        if (devices.Count > MaxDevices)
        {
            throw TouchpointException.Invalid($"符合条件的设备超过 {MaxDevices:N0} 台，请缩小范围（地区、类型或型号）分批投放");
        }
        var ids = devices.Select(d => d.Id).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        var campaign = new PosterCampaign
        {
            Name = name, PosterId = poster.Id, Region = region, DeviceType = request.Type, Model = model, WindowStart = window.Start,
            WindowEnd = window.End, CreatedById = actor.Id, CreatedAtUtc = now,
        };
        List<long> placedIds;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await PosterPlacements.BumpRevisionsAsync(db, ids, ct);
            var check = await PosterPlacements.EvaluateAsync(db, poster, devices, window, PosterPath.Campaign, ct, now);
            var full = check.Conflicts.Select(c => c.Sn).Concat(check.AlreadyPlaced).ToHashSet(StringComparer.Ordinal);
            var placing = devices.Where(d => !full.Contains(d.Sn)).ToList();
            placedIds = placing.Select(d => d.Id).ToList();
            campaign.Placed = placing.Count;
            campaign.SkippedFull = devices.Count - placing.Count;
            db.PosterCampaigns.Add(campaign);
            await db.SaveChangesAsync(ct);
            var placedBy = $"平台运营（{actor.DisplayName}）";
            await PlacementBulkWriter.WriteAsync(db, placedIds, new DevicePoster
            {
                PosterId = poster.Id, Kind = PosterKind.Official, WindowStart = window.Start, WindowEnd = window.End,
                Order = PosterPlacements.DefaultOrder, Path = PosterPath.Campaign, PlacedById = actor.Id, PlacedByName = placedBy,
                CampaignId = campaign.Id, PlacedAtUtc = now,
            }, $"中心化海报活动「{name}」，{PosterPlacements.Describe(poster.Name, window, PosterPlacements.DefaultOrder)}", ct);
            Audit.AuditLog.Add(db, clock, actor.Id, Core.Audit.AuditAction.PosterCampaignStarted, null, null,
                $"中心化海报「{name}」（{poster.Name}）：{Filter(campaign)}，投放 {campaign.Placed} 台，官方海报位已满跳过 {campaign.SkippedFull} 台");
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        await delivery.PublishAsync(placedIds, ct);
        return View(campaign, poster.Name);
    }

    public async Task<CampaignView> WithdrawAsync(Actor actor, long id, string? reason, CancellationToken ct)
    {
        RequireOperator(actor);
        var text = reason?.Trim() ?? "";
        if (text.Length == 0)
        {
            throw TouchpointException.Invalid("请填写撤回原因：会展示给相关商家");
        }
        if (text.Length > PosterCampaign.ReasonMaxLength)
        {
            throw TouchpointException.Invalid($"撤回原因不能超过 {PosterCampaign.ReasonMaxLength} 个字");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var campaign = await db.PosterCampaigns.SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw TouchpointException.NotFound("中心化海报活动不存在");
        if (campaign.WithdrawnAtUtc is not null)
        {
            throw TouchpointException.Conflict($"该活动已于 {Common.ChinaTime.Format(campaign.WithdrawnAtUtc)} 撤回");
        }
        var posterName = await db.Posters.Where(p => p.Id == campaign.PosterId).Select(p => p.Name).SingleAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var live = await db.DevicePosters.AsNoTracking().Where(p => p.CampaignId == id && p.RemovedAtUtc == null)
            .Select(p => new { p.Id, p.DeviceId }).ToListAsync(ct);
        var deviceIds = live.Select(l => l.DeviceId).Distinct().ToList();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await PosterPlacements.BumpRevisionsAsync(db, deviceIds, ct);
            await db.DevicePosters.Where(p => p.CampaignId == id && p.RemovedAtUtc == null).ExecuteUpdateAsync(u => u
                .SetProperty(p => p.RemovedAtUtc, now).SetProperty(p => p.RemovedById, actor.Id).SetProperty(p => p.RemovedReason, text), ct);
            campaign.WithdrawnAtUtc = now;
            campaign.WithdrawnById = actor.Id;
            campaign.WithdrawReason = text;
            var actorName = $"平台运营（{actor.DisplayName}）";
            db.PosterSlotEvents.AddRange(live.Select(l => new PosterSlotEvent
            {
                DeviceId = l.DeviceId, PosterId = campaign.PosterId, PlacementId = l.Id, Change = PosterSlotChange.Withdrawn, Path = PosterPath.Campaign,
                ActorId = actor.Id, ActorName = actorName, AtUtc = now, Detail = $"平台撤回「{posterName}」：{text}",
            }));
            // Each merchant concerned sees the withdrawal and its reason in its own 操作日志.
            var owners = await db.Devices.AsNoTracking().Where(d => EF.Parameter(deviceIds).Contains(d.Id) && d.OwnerId != null)
                .GroupBy(d => d.OwnerId).Select(g => new { Owner = g.Key, Count = g.Count() }).ToListAsync(ct);
            foreach (var owner in owners)
            {
                Audit.AuditLog.Add(db, clock, actor.Id, Core.Audit.AuditAction.PosterCampaignWithdrawn, owner.Owner, null,
                    $"平台撤回中心化海报「{posterName}」（{owner.Count} 台设备），原因：{text}");
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        await delivery.PublishAsync(deviceIds, ct);
        return View(campaign, posterName);
    }

    public async Task<IReadOnlyList<CampaignView>> ListAsync(Actor actor, CancellationToken ct)
    {
        RequireOperator(actor);
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await (from c in db.PosterCampaigns.AsNoTracking()
                          join p in db.Posters.AsNoTracking() on c.PosterId equals p.Id
                          orderby c.Id descending
                          select new { c, p.Name }).Take(200).ToListAsync(ct);
        return rows.Select(r => View(r.c, r.Name)).ToList();
    }

    private static void RequireOperator(Actor actor)
    {
        if (actor.Role != AccountRole.Operator)
        {
            throw TouchpointException.Forbidden("中心化海报由平台运营投放和撤回");
        }
    }

    private static string Filter(PosterCampaign c) => new Devices.DeviceFilter(c.Region, c.DeviceType, c.Model).Describe();

    private static CampaignView View(PosterCampaign c, string posterName) => new(c.Id, c.Name, c.PosterId, posterName, Filter(c), c.WindowStart,
        c.WindowEnd, c.Placed, c.SkippedFull, c.CreatedAtUtc, c.WithdrawnAtUtc, c.WithdrawReason, PosterLibrary.ThumbnailUrl(c.PosterId));
}
