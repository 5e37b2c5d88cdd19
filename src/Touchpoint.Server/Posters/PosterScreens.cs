using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Grants;
using Touchpoint.Core.Posters;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Members;

namespace Touchpoint.Server.Posters;

public sealed record OnAirView(long PosterId, string Name, int SecondsLeft, long NextPosterId, string NextName, IReadOnlyList<string> Cycle);

/// <summary>
/// 设备详情 > 屏幕: what the platform intends the idle screen to show now, beside what the device last said it shows,
/// with every difference and its reason.
/// </summary>
public sealed record ScreenView(string Sn, bool Online, bool AdminMode, int Revision, int? ReportedRevision, long? ReportedPosterId,
    string? ReportedPosterName, DateTime? ReportedSinceUtc, DateTime? ReportedAtUtc, OnAirView? Intended, IReadOnlyList<string> Differences,
    IReadOnlyList<PlacementView> Placements, IReadOnlyList<VoiceView> RecentVoice, DateTime LocalNow, string Zone,
    IReadOnlyList<WithdrawnView> Withdrawn, GiftShownView? LastGift = null);

/// <summary>The 刷脸有礼 gift the last success page showed, and whether the member claimed it.</summary>
public sealed record GiftShownView(string Name, string Kind, DateTime AtUtc, bool Claimed);

/// <summary>A platform poster withdrawn from this device, with the reason platform support gave.</summary>
public sealed record WithdrawnView(string PosterName, string Reason, DateTime AtUtc);

/// <summary>What the device reported saying: the announcement, a voice message (<see cref="Kind"/> in Chinese).</summary>
public sealed record VoiceView(string Text, DateTime AtUtc, string Kind = "到账播报");

/// <summary>One placement as the troubleshooting tool shows it: who, which route, when, and how to reach them.</summary>
public sealed record PlacerView(long PlacementId, long PosterId, string PosterName, string Kind, string PathName, string PlacedBy, string? Contact,
    DateTime PlacedAtUtc, DateTime Start, DateTime? End, string ThumbnailUrl);

public sealed record SlotEventView(DateTime AtUtc, string Change, string PathName, string Actor, long PosterId, string PosterName, string? Detail);

public sealed record PosterTroubleshootView(string Sn, bool AdminMode, bool Online, IReadOnlyList<PlacerView> Placements, IReadOnlyList<SlotEventView> History);

/// <summary>One tile of the screen wall: what a device last said it shows, and whether that is the platform's current schedule.</summary>
public sealed record WallTile(string Sn, bool Online, long? PosterId, string? PosterName, bool Synced, DateTime? ReportedAtUtc);

/// <summary>The screen view and the IoT海报投放排查工具 (R20): both read-only, for whoever may see the device.</summary>
public sealed class PosterScreens(IDbContextFactory<TouchpointDb> factory, DeviceAccess access, TimeProvider clock)
{
    public async Task<ScreenView> ScreenAsync(Actor actor, string sn, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.View, ct);
        var live = await db.DevicePosters.AsNoTracking().Where(p => p.DeviceId == device.Id && p.RemovedAtUtc == null).ToListAsync(ct);
        var names = await db.Posters.AsNoTracking().Where(p => live.Select(l => l.PosterId).Contains(p.Id)
                || p.Id == device.ScreenPosterId).Select(p => new { p.Id, p.Name }).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var zone = PosterRotation.Zone(device.TimeZone);
        var now = clock.GetUtcNow().UtcDateTime;
        var local = TimeZoneInfo.ConvertTimeFromUtc(now, zone);
        var rules = live.Select(l => l.ToRule()).ToList();
        var onAir = PosterRotation.At(rules, now, zone);
        var intended = onAir is null ? null : new OnAirView(onAir.Poster.PosterId, names[onAir.Poster.PosterId], onAir.SecondsLeft,
            onAir.Next.PosterId, names[onAir.Next.PosterId], onAir.Cycle.Select(c => names[c.PosterId]).ToList());
        var differences = new List<string>();
        if (!device.IsOnline)
        {
            differences.Add(device.LastOnlineAtUtc is { } seen
                ? $"设备离线（最后在线 {Common.ChinaTime.Format(seen)}）：屏幕按它离线前收到的版本播放，上线后自动同步"
                : "设备从未上线：海报将在它首次上线时下发");
        }
        if (device.ScreenRevision is null && rules.Count > 0)
        {
            differences.Add("设备尚未上报屏幕状态：海报还没有送达");
        }
        else if (device.ScreenRevision is { } reported && reported != device.PosterRevision)
        {
            differences.Add($"设备正在播放第 {reported} 版排期，平台为第 {device.PosterRevision} 版：尚未同步" +
                (device.IsOnline ? "（正在下发）" : "（设备上线后同步）"));
        }
        var active = PosterRotation.Cycle(rules, local).Select(c => c.PosterId).ToHashSet();
        foreach (var idle in rules.Where(r => r.Window.Contains(local) && !active.Contains(r.PosterId)))
        {
            differences.Add($"「{names[idle.PosterId]}」未播放：{(idle.Kind == PosterKind.Merchant ? "商家" : "官方")}海报位已满（每类最多 {PosterSlots.PerKind} 张）");
        }
        if (device.ScreenRevision == device.PosterRevision && device.IsOnline && intended is not null && device.ScreenPosterId is null)
        {
            differences.Add("设备已同步但报告没有海报在播：图片可能未下载完成");
        }
        // What the terminal itself reported saying, not what the platform asked of it.
        var voice = (await db.VoicePlays.AsNoTracking().Where(b => b.DeviceId == device.Id).OrderByDescending(b => b.Id).Take(5).ToListAsync(ct))
            .Select(b => new VoiceView(b.Text, b.PlayedAtUtc, b.Kind switch { "announcement" => "到账播报", "trade" => "随收款播报", _ => "定时播报" })).ToList();
        var lastGift = await (from i in db.GiftImpressions.AsNoTracking()
                              join g in db.Gifts.AsNoTracking() on i.GiftId equals g.Id
                              where i.DeviceId == device.Id
                              orderby i.Id descending
                              select new GiftShownView(g.Name, g.Kind == Core.Gifts.GiftKind.Coupon ? "优惠券" : "小程序", i.AtUtc, i.ClaimedAtUtc != null)).FirstOrDefaultAsync(ct);
        var since = now.AddDays(-30);
        var withdrawn = await (from p in db.DevicePosters.AsNoTracking()
                               join poster in db.Posters.AsNoTracking() on p.PosterId equals poster.Id
                               where p.DeviceId == device.Id && p.Path == PosterPath.Campaign && p.RemovedAtUtc != null && p.RemovedAtUtc > since
                               orderby p.RemovedAtUtc descending
                               select new WithdrawnView(poster.Name, p.RemovedReason ?? "", p.RemovedAtUtc!.Value)).Take(10).ToListAsync(ct);
        return new ScreenView(device.Sn, device.IsOnline, device.PosterAdminMode, device.PosterRevision, device.ScreenRevision, device.ScreenPosterId,
            device.ScreenPosterId is { } id ? names.GetValueOrDefault(id, $"海报 {id}") : null, device.ScreenSinceUtc, device.ScreenReportedAtUtc,
            intended, differences, await PosterPlacements.LiveAsync(db, device.Id, device.Sn, ct), voice, local, zone.Id, withdrawn, lastGift);
    }

    public const int WallSize = 60;

    /// <summary>
    /// 屏幕墙: the devices the actor runs posters on (its own and those granted with 海报投放; every device for the
    /// operator), optionally those whose SN starts with <paramref name="snPrefix"/>, at most <see cref="WallSize"/>.
    /// </summary>
    public async Task<IReadOnlyList<WallTile>> WallAsync(Actor actor, string? snPrefix, CancellationToken ct, Devices.DeviceFilter? group = null)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var devices = actor.Role == Core.Accounts.AccountRole.Operator
            ? db.Devices.AsNoTracking()
            : DeviceAccess.Permitted(db, actor, GrantPermissions.Poster, clock.GetUtcNow().UtcDateTime).AsNoTracking();
        if (snPrefix?.Trim().ToUpperInvariant() is { Length: > 0 } prefix)
        {
            devices = devices.Where(d => d.Sn.StartsWith(prefix));
        }
        if (group is not null)
        {
            devices = group.Apply(devices);
        }
        var rows = await devices.OrderBy(d => d.Sn).Take(WallSize)
            .Select(d => new { d.Sn, d.IsOnline, d.ScreenPosterId, d.ScreenRevision, d.PosterRevision, d.ScreenReportedAtUtc }).ToListAsync(ct);
        var ids = rows.Where(r => r.ScreenPosterId != null).Select(r => r.ScreenPosterId!.Value).Distinct().ToList();
        var names = await db.Posters.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return rows.Select(r => new WallTile(r.Sn, r.IsOnline, r.ScreenPosterId, r.ScreenPosterId is { } id ? names.GetValueOrDefault(id) : null,
            r.ScreenRevision == r.PosterRevision, r.ScreenReportedAtUtc)).ToList();
    }

    public async Task<PosterTroubleshootView> TroubleshootAsync(Actor actor, string sn, long? posterId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.View, ct);
        var live = await (from p in db.DevicePosters.AsNoTracking()
                          join poster in db.Posters.AsNoTracking() on p.PosterId equals poster.Id
                          where p.DeviceId == device.Id && p.RemovedAtUtc == null && (posterId == null || p.PosterId == posterId)
                          select new { p, poster.Name, Phone = db.Accounts.Where(a => a.Id == p.PlacedById).Select(a => a.ContactPhone).FirstOrDefault() })
            .ToListAsync(ct);
        var placements = live.OrderBy(x => x.p.Kind).ThenBy(x => x.p.Order).Select(x => new PlacerView(x.p.Id, x.p.PosterId, x.Name,
            x.p.Kind == PosterKind.Merchant ? "商家海报" : "官方海报", PosterPlacements.PathName(x.p.Path), x.p.PlacedByName,
            Mask(x.p.ClerkPhone ?? x.Phone), x.p.PlacedAtUtc, x.p.WindowStart, x.p.WindowEnd, PosterLibrary.ThumbnailUrl(x.p.PosterId))).ToList();
        var history = await (from e in db.PosterSlotEvents.AsNoTracking()
                             join poster in db.Posters.AsNoTracking() on e.PosterId equals poster.Id
                             where e.DeviceId == device.Id && (posterId == null || e.PosterId == posterId)
                             orderby e.Id descending
                             select new { e, poster.Name }).Take(200).ToListAsync(ct);
        return new PosterTroubleshootView(device.Sn, device.PosterAdminMode, device.IsOnline, placements,
            history.Select(h => new SlotEventView(h.e.AtUtc, h.e.Change switch
            {
                PosterSlotChange.Placed => "投放",
                PosterSlotChange.Removed => "撤下",
                _ => "平台撤回",
            }, PosterPlacements.PathName(h.e.Path), h.e.ActorName, h.e.PosterId, h.Name, h.e.Detail)).ToList());
    }

    /// <summary>138****5678; other forms keep their first and last characters only.</summary>
    internal static string? Mask(string? contact) => contact switch
    {
        null or "" => null,
        { Length: 11 } m => SimulatedMembers.MaskMobile(m),
        { Length: <= 2 } s => new string('*', s.Length),
        var s => s[0] + new string('*', s.Length - 2) + s[^1],
    };
}
