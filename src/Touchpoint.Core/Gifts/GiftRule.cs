namespace Touchpoint.Core.Gifts;

/// <summary>What a face-pay gift (刷脸有礼, R22) recommends on the success page.</summary>
public enum GiftKind
{
    /// <summary>A voucher from a template (amount, threshold, validity, stock), issued to the member who claims it.</summary>
    Coupon,
    /// <summary>One of the merchant's mini-programs (我的应用), opened from the success page.</summary>
    MiniProgram,
}

/// <summary>The period a member's claims are counted in for <see cref="GiftCandidate.TimesPerMember"/>.</summary>
public enum GiftPeriod
{
    Ever,
    Day,
    Week,
    Month,
}

/// <summary>A gift's conditions, as the selection sees them. Windows are in the device's local wall-clock time.</summary>
public sealed record GiftCandidate(
    long GiftId,
    GiftKind Kind,
    int Priority,
    long MinAmountCents,
    bool FirstPaymentOnly,
    DateTime? StartsLocal,
    DateTime? EndsLocal,
    int? TimesPerMember,
    GiftPeriod Period,
    int? StockLeft,
    bool CoversDevice);

/// <summary>
/// The payment a gift is chosen for: its amount, whether it is the member's first at this merchant, the device's local
/// time, and how many times the member already got each gift in that gift's period.
/// </summary>
public sealed record GiftContext(long AmountCents, bool FirstPaymentAtMerchant, DateTime Local, IReadOnlyDictionary<long, int> ClaimsInPeriod);

/// <summary>Why a gift was passed over: the console's 为什么没有展示 answer.</summary>
public sealed record GiftSkip(long GiftId, string Reason);

/// <summary>
/// Chooses the one gift the success page shows: the first, by priority (then the newest), whose every condition holds
/// for this payment at this device now; the others come back with the reason they were skipped.
/// </summary>
public static class GiftRule
{
    public static (GiftCandidate? Chosen, IReadOnlyList<GiftSkip> Skipped) Choose(IEnumerable<GiftCandidate> gifts, GiftContext payment)
    {
        var skipped = new List<GiftSkip>();
        GiftCandidate? chosen = null;
        foreach (var gift in gifts.OrderBy(g => g.Priority).ThenByDescending(g => g.GiftId))
        {
            var reason = WhyNot(gift, payment);
            if (reason is not null)
            {
                skipped.Add(new GiftSkip(gift.GiftId, reason));
            }
            else if (chosen is null)
            {
                chosen = gift;
            }
            else
            {
                skipped.Add(new GiftSkip(gift.GiftId, "已有优先级更高的礼品展示"));
            }
        }
        return (chosen, skipped);
    }

    /// <summary>The first condition that fails, in the order an operator checks them; null when the gift may be shown.</summary>
    public static string? WhyNot(GiftCandidate gift, GiftContext payment)
    {
        if (!gift.CoversDevice)
        {
            return "该设备不在礼品的投放范围内";
        }
        if (gift.StartsLocal is { } start && payment.Local < start)
        {
            return $"活动尚未开始（{start:yyyy-MM-dd HH:mm} 开始，设备当地时间）";
        }
        if (gift.EndsLocal is { } end && payment.Local >= end)
        {
            return $"活动已结束（{end:yyyy-MM-dd HH:mm} 结束，设备当地时间）";
        }
        if (payment.AmountCents < gift.MinAmountCents)
        {
            return $"支付金额低于门槛 {Payments.Money.Format(gift.MinAmountCents)} 元";
        }
        if (gift.FirstPaymentOnly && !payment.FirstPaymentAtMerchant)
        {
            return "仅限会员在本商户的首笔支付";
        }
        if (gift.StockLeft is <= 0)
        {
            return "库存已领完";
        }
        if (gift.TimesPerMember is { } times && payment.ClaimsInPeriod.GetValueOrDefault(gift.GiftId) >= times)
        {
            return $"该会员{PeriodName(gift.Period)}已领取 {times} 次，达到上限";
        }
        return null;
    }

    /// <summary>Where the period of <see cref="GiftPeriod"/> containing <paramref name="local"/> begins (weeks start on Monday, as in China).</summary>
    public static DateTime PeriodStart(GiftPeriod period, DateTime local) => period switch
    {
        GiftPeriod.Day => local.Date,
        GiftPeriod.Week => local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7)),
        GiftPeriod.Month => new DateTime(local.Year, local.Month, 1),
        _ => DateTime.MinValue,
    };

    public static string PeriodName(GiftPeriod period) => period switch
    {
        GiftPeriod.Day => "今日",
        GiftPeriod.Week => "本周",
        GiftPeriod.Month => "本月",
        _ => "累计",
    };
}
