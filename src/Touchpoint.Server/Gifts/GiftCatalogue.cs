using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Common;
using Touchpoint.Core.Gifts;
using Touchpoint.Core.Grants;
using Touchpoint.Core.Payments;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Gifts;

/// <summary>
/// Setting up 刷脸有礼 (R22). A gift is the merchant's: the owner shows it on all its devices, picked ones or a filter; a
/// service provider sets one up for the merchant's devices it holds <b>海报投放</b> on, picked by SN — the success page is
/// the terminal's screen, as the posters are, so the permission that governs what the screen shows governs it too
/// (播报运营 governs what the terminal says). The owner sees and stops every gift on its devices; a provider the ones
/// it made.
/// </summary>
public sealed class GiftCatalogue(IDbContextFactory<TouchpointDb> factory, TimeProvider clock)
{
    public const int MaxDevices = 10_000;
    public const int MaxStock = 10_000_000;

    public async Task<IReadOnlyList<GiftView>> ListAsync(Actor actor, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var gifts = await Visible(db, actor).AsNoTracking().OrderByDescending(g => g.Id).Take(500).ToListAsync(ct);
        return await ViewsAsync(db, actor, gifts, ct);
    }

    public async Task<GiftView> GetAsync(Actor actor, long id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var gift = await Visible(db, actor).AsNoTracking().SingleOrDefaultAsync(g => g.Id == id, ct) ?? throw NotFound(id);
        return (await ViewsAsync(db, actor, [gift], ct))[0];
    }

    public async Task<GiftView> CreateAsync(Actor actor, GiftEdit edit, GiftSource source, CancellationToken ct, string? spaceCode = null)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (spaceCode is { Length: > 64 })
        {
            throw TouchpointException.Invalid("space_code 不能超过 64 个字符");
        }
        var gift = new Gift { Name = "", CreatedById = actor.Id, CreatedByName = await NameAsync(db, actor, ct), Source = source, CreatedAtUtc = now, SpaceCode = spaceCode };
        var devices = await ApplyAsync(db, actor, gift, edit, ct);
        gift.ModifiedAtUtc = now;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Gifts.Add(gift);
        await db.SaveChangesAsync(ct);
        db.GiftDevices.AddRange(devices.Select(d => new GiftDevice { GiftId = gift.Id, DeviceId = d }));
        Audit.AuditLog.Add(db, clock, actor.Id, Core.Audit.AuditAction.GiftCreated, gift.OwnerId, null, $"创建刷脸有礼「{gift.Name}」：{Offer(gift)}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await ViewsAsync(db, actor, [gift], ct))[0];
    }

    /// <summary>Changes a gift's terms; vouchers already issued keep theirs, and the stock cannot go below what was issued.</summary>
    public async Task<GiftView> UpdateAsync(Actor actor, long id, GiftEdit edit, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var gift = await EditableAsync(db, actor, id, ct);
        var devices = await ApplyAsync(db, actor, gift, edit, ct);
        if (gift.Stock is { } stock && stock < gift.Issued)
        {
            throw TouchpointException.Invalid($"库存不能少于已发放的 {gift.Issued} 张");
        }
        gift.ModifiedAtUtc = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.GiftDevices.Where(d => d.GiftId == gift.Id).ExecuteDeleteAsync(ct);
        db.GiftDevices.AddRange(devices.Select(d => new GiftDevice { GiftId = gift.Id, DeviceId = d }));
        Audit.AuditLog.Add(db, clock, actor.Id, Core.Audit.AuditAction.GiftModified, gift.OwnerId, null, $"修改刷脸有礼「{gift.Name}」：{Offer(gift)}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await ViewsAsync(db, actor, [gift], ct))[0];
    }

    public async Task<GiftView> StopAsync(Actor actor, long id, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var gift = await EditableAsync(db, actor, id, ct);
        gift.StoppedAtUtc = clock.GetUtcNow().UtcDateTime;
        gift.ModifiedAtUtc = gift.StoppedAtUtc.Value;
        Audit.AuditLog.Add(db, clock, actor.Id, Core.Audit.AuditAction.GiftStopped, gift.OwnerId, null, $"停用刷脸有礼「{gift.Name}」");
        await db.SaveChangesAsync(ct);
        return (await ViewsAsync(db, actor, [gift], ct))[0];
    }

    /// <summary>The mini-programs a gift may open: the caller's 我的应用 (and, for a provider, the apps of the merchants it serves are theirs to pick).</summary>
    public async Task<IReadOnlyList<(string AppId, string Name)>> MiniAppsAsync(Actor actor, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return (await db.DeveloperApps.AsNoTracking().Where(a => a.OwnerId == actor.Id).OrderBy(a => a.Name).Select(a => new { a.AppId, a.Name }).ToListAsync(ct))
            .Select(a => (a.AppId, a.Name)).ToList();
    }

    private static IQueryable<Gift> Visible(TouchpointDb db, Actor actor) => actor.Role == AccountRole.Operator
        ? db.Gifts
        : db.Gifts.Where(g => (g.OwnerId == actor.Id && actor.OnBehalfOfId == null) || (g.CreatedById == actor.Id && (actor.OnBehalfOfId == null || g.OwnerId == actor.OnBehalfOfId)));

    /// <summary>The owner changes any gift on its devices; a provider the ones it made (for the merchant it acts for).</summary>
    private static async Task<Gift> EditableAsync(TouchpointDb db, Actor actor, long id, CancellationToken ct)
    {
        var gift = await Visible(db, actor).SingleOrDefaultAsync(g => g.Id == id, ct) ?? throw NotFound(id);
        if (actor.Role == AccountRole.Operator && gift.OwnerId != actor.Id)
        {
            throw TouchpointException.Forbidden("平台运营只能查看商家的刷脸有礼，不能修改");
        }
        if (gift.StoppedAtUtc is not null)
        {
            throw TouchpointException.Conflict($"刷脸有礼「{gift.Name}」已停用");
        }
        return gift;
    }

    private static TouchpointException NotFound(long id) => TouchpointException.NotFound($"刷脸有礼 {id} 不存在");

    /// <summary>Checks the edit and writes it onto the gift; returns the picked devices' ids (none for other scopes).</summary>
    private async Task<List<long>> ApplyAsync(TouchpointDb db, Actor actor, Gift gift, GiftEdit edit, CancellationToken ct)
    {
        if (actor.Role is AccountRole.Operator or AccountRole.Manufacturer)
        {
            throw TouchpointException.Forbidden("刷脸有礼由商家（或被授权“海报投放”的服务商）为自己的设备设置");
        }
        var name = edit.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            throw TouchpointException.Invalid("请填写礼品名称");
        }
        if (name.Length > Gift.NameMaxLength)
        {
            throw TouchpointException.Invalid($"礼品名称不能超过 {Gift.NameMaxLength} 个字");
        }
        if (!Enum.IsDefined(edit.Kind) || !Enum.IsDefined(edit.Period) || !Enum.IsDefined(edit.Scope))
        {
            throw TouchpointException.Invalid("礼品类型、统计周期或展示范围不正确");
        }
        gift.Name = name;
        gift.Kind = edit.Kind;
        if (edit.Kind == GiftKind.Coupon)
        {
            var amount = Cents(edit.CouponAmount, "券面额") ?? throw TouchpointException.Invalid("请填写券面额（元）");
            if (amount <= 0)
            {
                throw TouchpointException.Invalid("券面额须大于 0");
            }
            var threshold = Cents(edit.CouponThreshold, "使用门槛") ?? 0;
            if (threshold > 0 && threshold <= amount)
            {
                throw TouchpointException.Invalid("使用门槛须高于券面额（满 X 减 Y），无门槛请填 0");
            }
            if (edit.CouponValidDays is not (>= 1 and <= 365))
            {
                throw TouchpointException.Invalid("券有效期须在 1–365 天之间");
            }
            if (edit.Stock is < 1 or > MaxStock)
            {
                throw TouchpointException.Invalid($"库存须在 1–{MaxStock} 之间，不限请留空");
            }
            (gift.CouponAmountCents, gift.CouponThresholdCents, gift.CouponValidDays, gift.Stock) = (amount, threshold, edit.CouponValidDays.Value, edit.Stock);
            (gift.MiniAppId, gift.MiniAppPage) = (null, null);
        }
        else
        {
            var appId = edit.MiniAppId?.Trim() ?? "";
            if (appId.Length == 0)
            {
                throw TouchpointException.Invalid("请选择要推荐的小程序（我的应用）");
            }
            var page = edit.MiniAppPage?.Trim() is { Length: > 0 } p ? p : null;
            if (page is { Length: > 200 } || page?.Contains("://", StringComparison.Ordinal) == true)
            {
                throw TouchpointException.Invalid("小程序页面须是小程序内的页面路径（如 pages/index/index），不超过 200 字");
            }
            (gift.MiniAppId, gift.MiniAppPage, gift.Stock, gift.CouponAmountCents, gift.CouponThresholdCents, gift.CouponValidDays) = (appId, page, null, 0, 0, 0);
        }
        gift.MinAmountCents = Cents(edit.MinAmount, "最低支付金额") ?? 0;
        gift.FirstPaymentOnly = edit.FirstPaymentOnly;
        if (edit.Starts is { } s && edit.Ends is { } e && e <= s)
        {
            throw TouchpointException.Invalid("活动结束时间须晚于开始时间");
        }
        (gift.StartsLocal, gift.EndsLocal) = (edit.Starts, edit.Ends);
        if (edit.TimesPerMember is < 1 or > 100)
        {
            throw TouchpointException.Invalid("每位会员领取次数须在 1–100 之间，不限请留空");
        }
        (gift.TimesPerMember, gift.Period) = (edit.TimesPerMember, edit.Period);
        var priority = edit.Priority ?? 10;
        if (priority is < 1 or > 99)
        {
            throw TouchpointException.Invalid("优先级须在 1–99 之间（数字小的优先）");
        }
        gift.Priority = priority;
        gift.Scope = edit.Scope;
        (gift.ScopeRegion, gift.ScopeModel) = edit.Scope == GiftScope.Filter
            ? (edit.Region?.Trim() is { Length: > 0 } r ? r : null, edit.Model?.Trim() is { Length: > 0 } m ? m : null)
            : (null, null);
        if (gift.ScopeRegion is { Length: > 60 } || gift.ScopeModel is { Length: > 64 })
        {
            throw TouchpointException.Invalid("地区不能超过 60 个字，型号不能超过 64 个字符");
        }
        if (edit.Scope == GiftScope.Filter && gift.ScopeRegion is null && gift.ScopeModel is null)
        {
            throw TouchpointException.Invalid("按条件投放时请填写地区或型号");
        }

        long ownerId;
        var deviceIds = new List<long>();
        if (edit.Scope == GiftScope.Picked)
        {
            var sns = (edit.Sns ?? []).Select(x => Core.Devices.DeviceSn.Normalize(x ?? "")).Where(x => x.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            if (sns.Count == 0)
            {
                throw TouchpointException.Invalid("请填写要展示礼品的设备 SN");
            }
            if (sns.Count > MaxDevices)
            {
                throw TouchpointException.Invalid($"一次最多指定 {MaxDevices} 台设备");
            }
            var found = await DeviceAccess.Permitted(db, actor, GrantPermissions.Poster, clock.GetUtcNow().UtcDateTime)
                .Where(d => EF.Parameter(sns).Contains(d.Sn)).Select(d => new { d.Id, d.Sn, d.OwnerId }).ToListAsync(ct);
            var missing = sns.Except(found.Select(d => d.Sn), StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                throw TouchpointException.Forbidden($"以下设备不存在或您没有“海报投放”权限：{string.Join("、", missing.Take(20))}{(missing.Count > 20 ? $" 等 {missing.Count} 台" : "")}");
            }
            var owners = found.Select(d => d.OwnerId).Distinct().ToList();
            if (owners.Count > 1)
            {
                throw TouchpointException.Invalid("一个礼品只能展示在同一商户的设备上，请按商户分别设置");
            }
            ownerId = owners[0] ?? throw TouchpointException.Invalid("设备尚未归属商户");
            deviceIds = found.Select(d => d.Id).ToList();
        }
        else
        {
            if (actor.OnBehalfOfId is not null || actor.Role == AccountRole.ServiceProvider)
            {
                throw TouchpointException.Forbidden("服务商只能为被授权“海报投放”的指定设备设置刷脸有礼，请按设备 SN 指定");
            }
            ownerId = actor.Id;
        }
        if (gift.Id != 0 && gift.OwnerId != ownerId)
        {
            throw TouchpointException.Invalid("不能把礼品改到另一个商户的设备上");
        }
        gift.OwnerId = ownerId;
        if (gift.Kind == GiftKind.MiniProgram
            && !await db.DeveloperApps.AnyAsync(a => a.AppId == gift.MiniAppId && (a.OwnerId == ownerId || a.OwnerId == actor.Id), ct))
        {
            throw TouchpointException.Invalid($"小程序 {gift.MiniAppId} 不在商户或您的“我的应用”中");
        }
        return deviceIds;
    }

    private static long? Cents(string? text, string what)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var cents = Money.ParseCents(text) ?? throw TouchpointException.Invalid($"{what}须是最多两位小数的金额（元）");
        return cents > 100_000_000 ? throw TouchpointException.Invalid($"{what}不能超过 1000000 元") : cents;
    }

    private static async Task<string> NameAsync(TouchpointDb db, Actor actor, CancellationToken ct) => actor.DisplayName.Length > 0 ? actor.DisplayName
        : await db.Accounts.Where(a => a.Id == actor.Id).Select(a => a.DisplayName).SingleOrDefaultAsync(ct) ?? "";

    public static string Offer(Gift g) => g.Kind == GiftKind.Coupon
        ? $"{g.CouponTitle}，领取后 {g.CouponValidDays} 天内有效{(g.Stock is { } s ? $"，库存 {s} 张" : "")}"
        : $"推荐小程序 {g.MiniAppId}{(g.MiniAppPage is { } p ? $"（{p}）" : "")}";

    public static string Conditions(Gift g)
    {
        var parts = new List<string>();
        if (g.MinAmountCents > 0) parts.Add($"支付满 {Money.Format(g.MinAmountCents)} 元");
        if (g.FirstPaymentOnly) parts.Add("会员在本商户首笔支付");
        if (g.StartsLocal is { } s) parts.Add($"{s:yyyy-MM-dd HH:mm} 起");
        if (g.EndsLocal is { } e) parts.Add($"{e:yyyy-MM-dd HH:mm} 止");
        if (g.TimesPerMember is { } t) parts.Add($"每位会员{GiftRule.PeriodName(g.Period)}限领 {t} 次");
        parts.Add($"优先级 {g.Priority}");
        return string.Join("；", parts);
    }

    private static async Task<IReadOnlyList<GiftView>> ViewsAsync(TouchpointDb db, Actor actor, IReadOnlyList<Gift> gifts, CancellationToken ct)
    {
        var ids = gifts.Select(g => g.Id).ToList();
        var shown = await db.GiftImpressions.AsNoTracking().Where(i => EF.Parameter(ids).Contains(i.GiftId))
            .GroupBy(i => i.GiftId).Select(g => new { g.Key, Shown = g.Count(), Claimed = g.Count(i => i.ClaimedAtUtc != null) })
            .ToDictionaryAsync(x => x.Key, ct);
        var sns = (await (from gd in db.GiftDevices.AsNoTracking()
                          join d in db.Devices.AsNoTracking() on gd.DeviceId equals d.Id
                          where EF.Parameter(ids).Contains(gd.GiftId)
                          select new { gd.GiftId, d.Sn }).ToListAsync(ct)).ToLookup(x => x.GiftId, x => x.Sn);
        return gifts.Select(g =>
        {
            var counts = shown.GetValueOrDefault(g.Id);
            var list = sns[g.Id].Order(StringComparer.Ordinal).ToList();
            var scope = g.Scope switch
            {
                GiftScope.All => "全部设备",
                GiftScope.Picked => $"指定 {list.Count} 台设备",
                _ => string.Join("，", new[] { g.ScopeRegion is { } r ? $"地区含“{r}”" : null, g.ScopeModel is { } m ? $"型号 {m}" : null }.OfType<string>()),
            };
            var edit = new GiftEdit(g.Name, g.Kind, g.Kind == GiftKind.Coupon ? Money.Format(g.CouponAmountCents) : null,
                g.Kind == GiftKind.Coupon ? Money.Format(g.CouponThresholdCents) : null, g.Kind == GiftKind.Coupon ? g.CouponValidDays : null, g.Stock,
                g.MiniAppId, g.MiniAppPage, g.MinAmountCents > 0 ? Money.Format(g.MinAmountCents) : null, g.FirstPaymentOnly, g.StartsLocal, g.EndsLocal,
                g.TimesPerMember, g.Period, g.Priority, g.Scope, list, g.ScopeRegion, g.ScopeModel);
            return new GiftView(g.Id, g.Name, g.Kind, g.Kind == GiftKind.Coupon ? "优惠券" : "小程序", Offer(g), Conditions(g), g.Scope, scope, list,
                g.Stock is { } stock ? stock - g.Issued : null, counts?.Shown ?? 0, counts?.Claimed ?? 0, g.StoppedAtUtc is null, g.CreatedByName,
                g.Source == GiftSource.Gateway ? "开放接口" : "控制台", g.OwnerId == actor.Id || g.CreatedById == actor.Id, g.CreatedAtUtc, edit);
        }).ToList();
    }
}
