using Touchpoint.Core.Gifts;

namespace Touchpoint.Server.Gifts;

/// <summary>
/// A gift as set up in 运营中心 > 设备运营 > 刷脸有礼 (or through merchantplan.createormodify): amounts in yuan as typed,
/// the window in the device's local time, the devices by SN for a picked scope.
/// </summary>
public sealed record GiftEdit(
    string? Name,
    GiftKind Kind,
    string? CouponAmount = null,
    string? CouponThreshold = null,
    int? CouponValidDays = null,
    int? Stock = null,
    string? MiniAppId = null,
    string? MiniAppPage = null,
    string? MinAmount = null,
    bool FirstPaymentOnly = false,
    DateTime? Starts = null,
    DateTime? Ends = null,
    int? TimesPerMember = null,
    GiftPeriod Period = GiftPeriod.Ever,
    int? Priority = null,
    GiftScope Scope = GiftScope.All,
    IReadOnlyList<string>? Sns = null,
    string? Region = null,
    string? Model = null);

/// <summary>A gift in the console's list: its terms, who set it up, and how it did (impressions, claims, stock left).</summary>
public sealed record GiftView(
    long Id,
    string Name,
    GiftKind Kind,
    string KindName,
    string Offer,
    string Conditions,
    GiftScope Scope,
    string ScopeText,
    IReadOnlyList<string> Sns,
    int? StockLeft,
    int Impressions,
    int Claims,
    bool Active,
    string CreatedBy,
    string Source,
    bool Mine,
    DateTime CreatedAtUtc,
    GiftEdit Edit);

/// <summary>A voucher in the member's card bag (the runtime API's 我的券).</summary>
public sealed record CouponView(string CouponNo, string Title, string Amount, string Threshold, string Merchant, DateTime IssuedAtUtc, DateTime ValidUntilUtc);

/// <summary>What claiming answered: the voucher (coupon gifts), or the mini-program to open.</summary>
public sealed record ClaimResult(long ImpressionId, string GiftName, string? CouponNo, string Message);
