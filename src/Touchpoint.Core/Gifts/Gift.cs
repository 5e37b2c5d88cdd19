namespace Touchpoint.Core.Gifts;

/// <summary>Which devices a gift is shown on.</summary>
public enum GiftScope
{
    /// <summary>Every device of the merchant (the owner's choice only).</summary>
    All,
    /// <summary>The devices listed in <see cref="GiftDevice"/>.</summary>
    Picked,
    /// <summary>The merchant's devices matching <see cref="Gift.ScopeRegion"/> and <see cref="Gift.ScopeModel"/>, as they are at payment time.</summary>
    Filter,
}

/// <summary>How a gift was set up: in the console (刷脸有礼) or through alipay.marketing.iot.merchantplan.createormodify.</summary>
public enum GiftSource
{
    Console,
    Gateway,
}

/// <summary>
/// 刷脸有礼 (R22): what the face-pay success page recommends — a coupon from a voucher template, or one of the merchant's
/// mini-programs — and the conditions it is shown under (<see cref="GiftRule"/>). It belongs to the merchant whose
/// devices and members it concerns; a service provider with 海报投放 on some of them may set it up for those devices.
/// </summary>
public sealed class Gift
{
    public long Id { get; set; }
    /// <summary>The merchant: the owner of the devices it is shown on.</summary>
    public long OwnerId { get; set; }
    public long CreatedById { get; set; }
    public required string CreatedByName { get; set; }
    public GiftSource Source { get; set; }
    public required string Name { get; set; }
    public GiftKind Kind { get; set; }
    /// <summary>Smaller first; among equals the newest.</summary>
    public int Priority { get; set; } = 10;

    /// <summary>The voucher's face value (coupon gifts).</summary>
    public long CouponAmountCents { get; set; }
    /// <summary>The spend the voucher needs (满 X 减 Y); 0 = none.</summary>
    public long CouponThresholdCents { get; set; }
    /// <summary>Days the issued voucher stays valid, from its issue.</summary>
    public int CouponValidDays { get; set; }
    /// <summary>Vouchers that may be issued in all; null = no limit.</summary>
    public int? Stock { get; set; }
    /// <summary>Vouchers issued so far (taken by a conditional update, so the stock is never exceeded).</summary>
    public int Issued { get; set; }

    /// <summary>The mini-program's app_id (one of the merchant's 我的应用) and the page it opens (mini-program gifts).</summary>
    public string? MiniAppId { get; set; }
    public string? MiniAppPage { get; set; }

    public long MinAmountCents { get; set; }
    public bool FirstPaymentOnly { get; set; }
    /// <summary>The campaign window in the device's wall-clock time.</summary>
    public DateTime? StartsLocal { get; set; }
    public DateTime? EndsLocal { get; set; }
    public int? TimesPerMember { get; set; }
    public GiftPeriod Period { get; set; }

    public GiftScope Scope { get; set; }
    public string? ScopeRegion { get; set; }
    public string? ScopeModel { get; set; }

    /// <summary>The gateway's space_code, kept as sent (Touchpoint has one space: the face-pay success page).</summary>
    public string? SpaceCode { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime ModifiedAtUtc { get; set; }
    public DateTime? StoppedAtUtc { get; set; }

    public const int NameMaxLength = 40;

    /// <summary>The voucher's title as the terminal and the member's card bag show it.</summary>
    public string CouponTitle => CouponThresholdCents > 0
        ? $"满{Payments.Money.Format(CouponThresholdCents)}减{Payments.Money.Format(CouponAmountCents)}元券"
        : $"{Payments.Money.Format(CouponAmountCents)}元无门槛券";
}

/// <summary>A device a <see cref="GiftScope.Picked"/> gift is shown on.</summary>
public sealed class GiftDevice
{
    public long GiftId { get; set; }
    public long DeviceId { get; set; }
}

/// <summary>One showing of a gift on a success page, and its claim (the member tapped 领取 on the terminal).</summary>
public sealed class GiftImpression
{
    public long Id { get; set; }
    public long GiftId { get; set; }
    public long TradeId { get; set; }
    public long DeviceId { get; set; }
    public long MemberId { get; set; }
    public DateTime AtUtc { get; set; }
    public DateTime? ClaimedAtUtc { get; set; }
    /// <summary>The claim's time in the device's wall-clock time: what <see cref="GiftRule.PeriodStart"/> periods are counted in.</summary>
    public DateTime? ClaimedLocal { get; set; }
}

/// <summary>A voucher issued to a member when they claimed a coupon gift; one per impression at most.</summary>
public sealed class MemberCoupon
{
    public long Id { get; set; }
    /// <summary>The voucher number as the member's card bag shows it.</summary>
    public required string CouponNo { get; set; }
    public long MemberId { get; set; }
    public long GiftId { get; set; }
    public long OwnerId { get; set; }
    public long ImpressionId { get; set; }
    public required string Title { get; set; }
    public long AmountCents { get; set; }
    public long ThresholdCents { get; set; }
    public DateTime IssuedAtUtc { get; set; }
    public DateTime ValidUntilUtc { get; set; }
}
