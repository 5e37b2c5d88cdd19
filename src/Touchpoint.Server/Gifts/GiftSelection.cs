using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Common;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Gifts;
using Touchpoint.Core.Payments;
using Touchpoint.Core.Posters;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Gifts;

/// <summary>
/// 刷脸有礼 at the terminal: after a face payment, the one gift <see cref="GiftRule"/> picks for it (recorded as an
/// impression); when the member taps 领取, the claim — once per impression, within the stock and the member's
/// allowance, each taken by a conditional update so parallel claims cannot overdraw either.
/// </summary>
public sealed class GiftSelection(IDbContextFactory<TouchpointDb> factory, Payments.TerminalScreens screens, DeviceChannel.IDeviceDownlink downlink,
    TimeProvider clock, ILogger<GiftSelection> logger)
{
    /// <summary>How long after the success page a member may still claim what it showed.</summary>
    public static readonly TimeSpan ClaimWindow = TimeSpan.FromMinutes(10);

    /// <summary>As <see cref="ForPaymentAsync"/>, but a failure costs only the gift: the payment is made and its page shown.</summary>
    public async Task<ScreenGift?> TryForPaymentAsync(Trade trade, CancellationToken ct)
    {
        try
        {
            return await ForPaymentAsync(trade, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "No gift chosen for trade {TradeNo}", trade.TradeNo);
            return null;
        }
    }

    /// <summary>The gift for a paid trade's success page, or null (not a face payment at a terminal, or nothing applies).</summary>
    public async Task<ScreenGift?> ForPaymentAsync(Trade trade, CancellationToken ct)
    {
        // No screen to show it on, no impression to count.
        if (trade.Scene != TradeScene.SecurityCode || trade.DeviceId is not { } deviceId || trade.MemberId is not { } memberId || !downlink.IsReady)
        {
            return null;
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        // The common case — a merchant without live gifts — costs one indexed read.
        var gifts = await db.Gifts.AsNoTracking().Where(g => g.OwnerId == trade.SellerId && g.StoppedAtUtc == null).ToListAsync(ct);
        if (gifts.Count == 0)
        {
            return null;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var (chosen, _) = await ChooseAsync(db, gifts, deviceId, memberId, trade.SellerId, trade.Id, trade.TotalCents, now, ct);
        if (chosen is null)
        {
            return null;
        }
        var impression = new GiftImpression { GiftId = chosen.Id, TradeId = trade.Id, DeviceId = deviceId, MemberId = memberId, AtUtc = now };
        db.GiftImpressions.Add(impression);
        await db.SaveChangesAsync(ct);
        return Screen(chosen, impression.Id);
    }

    /// <summary>
    /// Which of the merchant's gifts a payment of <paramref name="cents"/> by this member at this device gets now, and why
    /// each other one is passed over (the console's 为什么没有展示).
    /// </summary>
    internal static async Task<(Gift? Chosen, IReadOnlyList<GiftSkip> Skipped)> ChooseAsync(TouchpointDb db, IReadOnlyList<Gift> gifts, long deviceId, long memberId,
        long sellerId, long? tradeId, long cents, DateTime now, CancellationToken ct)
    {
        var device = await db.Devices.AsNoTracking().Where(d => d.Id == deviceId)
            .Select(d => new { d.TimeZone, d.Model, d.LastOnlineLocation, d.OwnerId }).SingleAsync(ct);
        // A provider's gift shows only while it still holds 海报投放 on the device (the grant may since have been revoked or expired).
        var providers = gifts.Where(g => g.CreatedById != g.OwnerId).Select(g => g.CreatedById).Distinct().ToList();
        var stillGranted = new HashSet<long>();
        if (providers.Count > 0)
        {
            var bit = (int)Core.Grants.GrantPermissions.Poster;
            stillGranted = (await db.Grants.AsNoTracking().Where(g => EF.Parameter(providers).Contains(g.GranteeId) && g.OwnerId == device.OwnerId
                    && ((int)g.Permissions & bit) != 0 && g.RevokedAtUtc == null && (g.ExpiresAtUtc == null || g.ExpiresAtUtc > now)
                    && db.GrantDevices.Any(gd => gd.GrantId == g.Id && gd.DeviceId == deviceId))
                .Select(g => g.GranteeId).ToListAsync(ct)).ToHashSet();
        }
        gifts = gifts.Where(g => g.CreatedById == g.OwnerId || stillGranted.Contains(g.CreatedById)).ToList();
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(now, DateTimeKind.Utc), PosterRotation.Zone(device.TimeZone));
        var ids = gifts.Select(g => g.Id).ToList();
        var picked = (await db.GiftDevices.AsNoTracking().Where(d => d.DeviceId == deviceId && EF.Parameter(ids).Contains(d.GiftId)).Select(d => d.GiftId).ToListAsync(ct)).ToHashSet();
        var claims = await db.GiftImpressions.AsNoTracking()
            .Where(i => i.MemberId == memberId && EF.Parameter(ids).Contains(i.GiftId) && i.ClaimedLocal != null)
            .Select(i => new { i.GiftId, i.ClaimedLocal }).ToListAsync(ct);
        var byGift = gifts.ToDictionary(g => g.Id);
        var counted = claims.Where(c => c.ClaimedLocal >= GiftRule.PeriodStart(byGift[c.GiftId].Period, local))
            .GroupBy(c => c.GiftId).ToDictionary(g => g.Key, g => g.Count());
        // Asked only when a gift needs it: it reads the member's history at this merchant.
        var first = gifts.Any(g => g.FirstPaymentOnly)
            && !await db.Trades.AnyAsync(t => t.SellerId == sellerId && t.MemberId == memberId && t.PaidAtUtc != null && t.Id != tradeId, ct);
        var candidates = gifts.Select(g => new GiftCandidate(g.Id, g.Kind, g.Priority, g.MinAmountCents, g.FirstPaymentOnly, g.StartsLocal, g.EndsLocal,
            g.TimesPerMember, g.Period, g.Stock is { } stock ? stock - g.Issued : null, g.Scope switch
            {
                GiftScope.All => true,
                GiftScope.Picked => picked.Contains(g.Id),
                _ => (g.ScopeModel is null || g.ScopeModel == device.Model)
                    && (g.ScopeRegion is null || (device.LastOnlineLocation?.Contains(g.ScopeRegion, StringComparison.Ordinal) ?? false)),
            }));
        var (chosen, skipped) = GiftRule.Choose(candidates, new GiftContext(cents, first, local, counted));
        return (chosen is null ? null : byGift[chosen.GiftId], skipped);
    }

    /// <summary>
    /// The member tapped 领取 on the terminal's success page. Claiming twice answers the first claim again (the same
    /// voucher), never a second one.
    /// </summary>
    public async Task<ClaimResult> ClaimAsync(string sn, long impressionId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var device = await db.Devices.AsNoTracking().Where(d => d.Sn == sn).Select(d => new { d.Id, d.TimeZone }).SingleOrDefaultAsync(ct)
            ?? throw TouchpointException.NotFound($"设备 {sn} 不存在");
        var impression = await db.GiftImpressions.AsNoTracking().SingleOrDefaultAsync(i => i.Id == impressionId && i.DeviceId == device.Id, ct)
            ?? throw TouchpointException.NotFound("这份礼品不存在，请以支付成功页上的礼品为准");
        var gift = await db.Gifts.AsNoTracking().SingleAsync(g => g.Id == impression.GiftId, ct);
        if (impression.ClaimedAtUtc is not null)
        {
            return await AnswerAsync(db, gift, impression.Id, again: true, ct);
        }
        if (now - impression.AtUtc > ClaimWindow)
        {
            throw TouchpointException.Conflict($"礼品须在支付成功后 {ClaimWindow.TotalMinutes:0} 分钟内领取");
        }
        if (gift.StoppedAtUtc is not null)
        {
            throw TouchpointException.Conflict($"活动「{gift.Name}」已停止");
        }
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(now, DateTimeKind.Utc), PosterRotation.Zone(device.TimeZone));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The page first: of two taps on it at once, the second stops here and is answered with the first one's voucher,
        // never with a refusal the first tap's own claim caused.
        var claimed = await db.GiftImpressions.Where(i => i.Id == impression.Id && i.ClaimedAtUtc == null)
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.ClaimedAtUtc, now).SetProperty(i => i.ClaimedLocal, local), ct);
        if (claimed == 0)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return await AnswerAsync(db, gift, impression.Id, again: true, ct);
        }
        // Then the gift's row: its update serialises the claims of one gift, so the allowance counted next cannot change
        // under us, and the stock is never overdrawn.
        var taken = await db.Gifts.Where(g => g.Id == gift.Id && (g.Stock == null || g.Issued < g.Stock))
            .ExecuteUpdateAsync(u => u.SetProperty(g => g.Issued, g => g.Issued + 1), ct);
        if (taken == 0)
        {
            await tx.RollbackAsync(ct);
            throw TouchpointException.Conflict($"「{gift.Name}」已领完");
        }
        if (gift.TimesPerMember is { } times)
        {
            var since = GiftRule.PeriodStart(gift.Period, local);
            var got = await db.GiftImpressions.CountAsync(i => i.GiftId == gift.Id && i.MemberId == impression.MemberId && i.Id != impression.Id
                && i.ClaimedLocal != null && i.ClaimedLocal >= since, ct);
            if (got >= times)
            {
                await tx.RollbackAsync(ct);
                throw TouchpointException.Conflict($"您{GiftRule.PeriodName(gift.Period)}已领取 {times} 次「{gift.Name}」，达到上限");
            }
        }
        if (gift.Kind == GiftKind.Coupon)
        {
            db.MemberCoupons.Add(new MemberCoupon
            {
                CouponNo = NewCouponNo(now), MemberId = impression.MemberId, GiftId = gift.Id, OwnerId = gift.OwnerId, ImpressionId = impression.Id,
                Title = gift.CouponTitle, AmountCents = gift.CouponAmountCents, ThresholdCents = gift.CouponThresholdCents, IssuedAtUtc = now,
                ValidUntilUtc = now.AddDays(gift.CouponValidDays),
            });
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return await AnswerAsync(db, gift, impression.Id, again: false, ct);
    }

    /// <summary>
    /// A claim from the terminal's success page (<c>up/cashier</c> claim, or the runtime API for a simulated member): the
    /// page comes back with the outcome — the voucher number, or why there is none — for the member to read.
    /// </summary>
    public async Task<ClaimResult> ClaimAtTerminalAsync(string sn, long? impressionId, CancellationToken ct)
    {
        long id;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            id = impressionId ?? await (from i in db.GiftImpressions.AsNoTracking()
                                        join d in db.Devices.AsNoTracking() on i.DeviceId equals d.Id
                                        where d.Sn == sn
                                        orderby i.Id descending
                                        select (long?)i.Id).FirstOrDefaultAsync(ct)
                ?? throw TouchpointException.NotFound("该设备的支付成功页没有可领取的礼品");
        }
        ClaimResult? claim = null;
        string? refusal = null;
        try
        {
            claim = await ClaimAsync(sn, id, ct);
            return claim;
        }
        catch (TouchpointException e)
        {
            refusal = e.Message;
            throw;
        }
        finally
        {
            await ShowClaimAsync(sn, id, claim, refusal, ct);
        }
    }

    private async Task ShowClaimAsync(string sn, long impressionId, ClaimResult? claim, string? refusal, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var shown = await (from i in db.GiftImpressions.AsNoTracking()
                           join g in db.Gifts.AsNoTracking() on i.GiftId equals g.Id
                           join t in db.Trades.AsNoTracking() on i.TradeId equals t.Id
                           where i.Id == impressionId
                           select new { g, t.TotalCents, t.OutTradeNo, t.TradeNo }).SingleOrDefaultAsync(ct);
        if (shown is null)
        {
            return;
        }
        var gift = Screen(shown.g, impressionId, claim) with { Message = claim?.Message ?? refusal };
        await screens.ShowAsync(sn, new ScreenMessage(1, "success", TotalAmount: Money.Format(shown.TotalCents), OutTradeNo: shown.OutTradeNo,
            TradeNo: shown.TradeNo, Title: "支付成功", Message: claim?.Message ?? refusal, Gift: gift), ct);
    }

    /// <summary>The member's vouchers, newest first (the runtime API's card bag).</summary>
    public async Task<IReadOnlyList<CouponView>> CouponsAsync(string userId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var member = await db.Members.AsNoTracking().Where(m => m.UserId == userId).Select(m => (long?)m.Id).SingleOrDefaultAsync(ct)
            ?? throw TouchpointException.NotFound($"会员 {userId} 不存在");
        return (await (from c in db.MemberCoupons.AsNoTracking()
                       join a in db.Accounts.AsNoTracking() on c.OwnerId equals a.Id
                       where c.MemberId == member
                       orderby c.Id descending
                       select new { c, a.DisplayName }).Take(200).ToListAsync(ct))
            .Select(x => new CouponView(x.c.CouponNo, x.c.Title, Money.Format(x.c.AmountCents), Money.Format(x.c.ThresholdCents), x.DisplayName,
                x.c.IssuedAtUtc, x.c.ValidUntilUtc)).ToList();
    }

    private static async Task<ClaimResult> AnswerAsync(TouchpointDb db, Gift gift, long impressionId, bool again, CancellationToken ct)
    {
        if (gift.Kind != GiftKind.Coupon)
        {
            return new ClaimResult(impressionId, gift.Name, null, $"已为您打开小程序 {gift.MiniAppId}");
        }
        var coupon = await db.MemberCoupons.AsNoTracking().Where(c => c.ImpressionId == impressionId).Select(c => c.CouponNo).SingleAsync(ct);
        return new ClaimResult(impressionId, gift.Name, coupon, again ? $"已领取过「{gift.CouponTitle}」，券已在支付宝卡包" : $"领取成功：「{gift.CouponTitle}」已放入支付宝卡包");
    }

    internal static ScreenGift Screen(Gift gift, long impressionId, ClaimResult? claim = null) => gift.Kind == GiftKind.Coupon
        ? new ScreenGift(impressionId, "coupon", gift.Name, gift.CouponTitle, Money.Format(gift.CouponAmountCents), Money.Format(gift.CouponThresholdCents),
            gift.CouponValidDays, Claimed: claim is not null, CouponNo: claim?.CouponNo, Message: claim?.Message)
        : new ScreenGift(impressionId, "mini_program", gift.Name, gift.Name, MiniAppId: gift.MiniAppId, MiniAppPage: gift.MiniAppPage,
            Claimed: claim is not null, Message: claim?.Message);

    private static string NewCouponNo(DateTime now) =>
        $"{now:yyyyMMdd}{RandomNumberGenerator.GetInt32(0, 1_000_000_000):D9}{RandomNumberGenerator.GetInt32(0, 1000):D3}";
}
