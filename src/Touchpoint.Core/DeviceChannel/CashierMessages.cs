using System.Text.Json.Serialization;

namespace Touchpoint.Core.DeviceChannel;

/// <summary>
/// <c>up/cashier</c>: the terminal's cashier asks the platform to take a payment (<c>start</c>, with the amount in yuan and
/// the merchant's order number) or gives up on one (<c>cancel</c>). docs/device-protocol.md.
/// </summary>
public sealed record CashierRequest(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("total_amount")] string? TotalAmount = null,
    [property: JsonPropertyName("out_trade_no")] string? OutTradeNo = null,
    [property: JsonPropertyName("subject")] string? Subject = null,
    [property: JsonPropertyName("app_id")] string? AppId = null,
    [property: JsonPropertyName("notify_url")] string? NotifyUrl = null,
    [property: JsonPropertyName("impression_id")] long? ImpressionId = null)
{
    public string? Problem() => Version != 1 ? $"cashier version {Version} is not 1"
        : Action is not ("start" or "cancel" or "claim") ? $"cashier action {Action} is not start, cancel or claim"
        : Action == "claim" && ImpressionId is null ? "cashier claim without impression_id"
        : (TotalAmount?.Length ?? 0) > 16 || (OutTradeNo?.Length ?? 0) > 64 || (Subject?.Length ?? 0) > 256 || (AppId?.Length ?? 0) > 32 || (NotifyUrl?.Length ?? 0) > 512
            ? "cashier field too long" : null;
}

/// <summary>
/// <c>down/screen</c>: what the terminal's screen shows now — <c>face</c> (look at the camera), <c>verify</c> (type phone
/// digits), <c>identified</c> (a service provider's cashier got its face token), <c>success</c> (paid, with the announcement
/// to play), <c>error</c> (a code such as Z1010 or 1400, the message and the advice), <c>idle</c>.
/// </summary>
public sealed record ScreenMessage(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("screen")] string Screen,
    [property: JsonPropertyName("zim_id")] string? ZimId = null,
    [property: JsonPropertyName("total_amount")] string? TotalAmount = null,
    [property: JsonPropertyName("out_trade_no")] string? OutTradeNo = null,
    [property: JsonPropertyName("trade_no")] string? TradeNo = null,
    [property: JsonPropertyName("code")] string? Code = null,
    [property: JsonPropertyName("title")] string? Title = null,
    [property: JsonPropertyName("message")] string? Message = null,
    [property: JsonPropertyName("advice")] IReadOnlyList<string>? Advice = null,
    [property: JsonPropertyName("verify_digits")] int? VerifyDigits = null,
    [property: JsonPropertyName("broadcast")] string? Broadcast = null,
    [property: JsonPropertyName("ftoken")] string? Ftoken = null,
    [property: JsonPropertyName("volume")] int? Volume = null,
    [property: JsonPropertyName("gift")] ScreenGift? Gift = null);

/// <summary>
/// 刷脸有礼 on the success page: the gift the platform chose for this payment, with what the terminal needs to show it
/// (a voucher's title and terms, or the mini-program to open). The member taps 领取: the terminal sends <c>up/cashier</c>
/// <c>claim</c> with <c>impression_id</c>, and the page comes back with <c>claimed</c> and the voucher number.
/// </summary>
public sealed record ScreenGift(
    [property: JsonPropertyName("impression_id")] long ImpressionId,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("amount")] string? Amount = null,
    [property: JsonPropertyName("threshold")] string? Threshold = null,
    [property: JsonPropertyName("valid_days")] int? ValidDays = null,
    [property: JsonPropertyName("mini_app_id")] string? MiniAppId = null,
    [property: JsonPropertyName("mini_app_page")] string? MiniAppPage = null,
    [property: JsonPropertyName("claimed")] bool Claimed = false,
    [property: JsonPropertyName("coupon_no")] string? CouponNo = null,
    [property: JsonPropertyName("message")] string? Message = null);
