using System.Text.Json.Serialization;
using Touchpoint.Core.Common;
using Touchpoint.Core.OpenPlatform;

namespace Touchpoint.Server.Payments;

public sealed record RuntimeCashier(
    [property: JsonPropertyName("total_amount")] string? TotalAmount,
    [property: JsonPropertyName("out_trade_no")] string? OutTradeNo,
    [property: JsonPropertyName("subject")] string? Subject,
    [property: JsonPropertyName("app_id")] string? AppId,
    [property: JsonPropertyName("notify_url")] string? NotifyUrl);

public sealed record RuntimeFace(
    [property: JsonPropertyName("user_id")] string? UserId,
    [property: JsonPropertyName("conditions")] IReadOnlyList<string>? Conditions);

public sealed record RuntimeDigits([property: JsonPropertyName("digits")] string? Digits);

public sealed record RuntimeClaim([property: JsonPropertyName("impression_id")] long? ImpressionId);

public sealed record RuntimeScan(
    [property: JsonPropertyName("qr_code")] string? QrCode,
    [property: JsonPropertyName("user_id")] string? UserId);

/// <summary>
/// The simulated Alipay client and the people at a terminal (demo and sandbox only, like the rest of /runtime): a member
/// shows a payment code, stands in front of a terminal under given conditions, types phone digits, scans a QR code or
/// confirms a payment on the phone. docs/openapi.md shows how to reproduce Z1010, 1400 and each escalation with these.
/// </summary>
public static class PaymentRuntimeApi
{
    public static void MapPaymentRuntime(this RouteGroupBuilder runtime)
    {
        runtime.MapPost("/members/{userId}/payment-code", (string userId, MemberAdmin members, CancellationToken ct) => Guard(async () =>
        {
            var (code, expires) = await members.PaymentCodeAsync(userId, ct);
            return Results.Ok(new { payment_code = code, expires_at = Common.ChinaTime.Format(expires) });
        }));
        runtime.MapPost("/terminals/{sn}/cashier", (string sn, RuntimeCashier body, FaceCashier cashier, CancellationToken ct) => Guard(async () =>
            Results.Ok(PaymentsApi.Step(await cashier.StartAsync(new CashierStart(sn, body.TotalAmount, body.OutTradeNo, body.Subject, body.AppId, body.NotifyUrl, "runtime"), ct)))));
        runtime.MapPost("/terminals/{sn}/face", (string sn, RuntimeFace body, FaceCashier cashier, CancellationToken ct) => Guard(async () =>
            Results.Ok(PaymentsApi.Step(await cashier.CaptureAsync(sn, body.UserId ?? throw TouchpointException.Invalid("缺少 user_id"),
                PaymentsApi.Conditions(body.Conditions), null, ct)))));
        runtime.MapPost("/terminals/{sn}/verify", (string sn, RuntimeDigits body, FaceCashier cashier, CancellationToken ct) => Guard(async () =>
            Results.Ok(PaymentsApi.Step(await cashier.VerifyAsync(sn, body.Digits, null, ct)))));
        runtime.MapPost("/terminals/{sn}/claim", (string sn, RuntimeClaim? body, Gifts.GiftSelection gifts, CancellationToken ct) => Guard(async () =>
        {
            var claim = await gifts.ClaimAtTerminalAsync(sn, body?.ImpressionId, ct);
            return Results.Ok(new { impression_id = claim.ImpressionId, gift_name = claim.GiftName, coupon_no = claim.CouponNo, message = claim.Message });
        }));
        runtime.MapGet("/members/{userId}/coupons", (string userId, Gifts.GiftSelection gifts, CancellationToken ct) => Guard(async () =>
            Results.Ok(new
            {
                coupons = (await gifts.CouponsAsync(userId, ct)).Select(c => new
                {
                    coupon_no = c.CouponNo, title = c.Title, amount = c.Amount, threshold = c.Threshold, merchant = c.Merchant,
                    issued_at = Common.ChinaTime.Format(c.IssuedAtUtc), valid_until = Common.ChinaTime.Format(c.ValidUntilUtc),
                }),
            })));
        runtime.MapPost("/scan", (RuntimeScan body, TradeService trades, CancellationToken ct) => Guard(async () =>
            Results.Ok(Trade(await trades.CompleteAsync(body.QrCode, body.UserId ?? throw TouchpointException.Invalid("缺少 user_id"), isQr: true, ct)))));
        runtime.MapPost("/trades/{tradeNo}/confirm", (string tradeNo, RuntimeScan body, TradeService trades, CancellationToken ct) => Guard(async () =>
            Results.Ok(Trade(await trades.CompleteAsync(tradeNo, body.UserId ?? throw TouchpointException.Invalid("缺少 user_id"), isQr: false, ct)))));
    }

    private static object Trade(TradeView v) => new { trade_no = v.Trade.TradeNo, out_trade_no = v.Trade.OutTradeNo, trade_status = v.StatusWire, total_amount = v.TotalAmount };

    private static async Task<IResult> Guard(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (TouchpointException e)
        {
            return Results.Json(new { code = "40004", msg = "Business Failed", subCode = e.Kind.ToString(), subMsg = e.Message },
                statusCode: Common.TouchpointErrorFilter.StatusFor(e.Kind));
        }
        catch (OpenPlatformViolation e)
        {
            var error = OpenApi.GatewayError.From(e);
            return Results.Json(new { code = error.Code, msg = error.Msg, subCode = error.SubCode, subMsg = error.SubMsg },
                statusCode: error.Code == "40006" ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest);
        }
    }
}
