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
    [property: JsonPropertyName("notify_url")] string? NotifyUrl = null)
{
    public string? Problem() => Version != 1 ? $"cashier version {Version} is not 1"
        : Action is not ("start" or "cancel") ? $"cashier action {Action} is not start or cancel"
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
    [property: JsonPropertyName("volume")] int? Volume = null);
