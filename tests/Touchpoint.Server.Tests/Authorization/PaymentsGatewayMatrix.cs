using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Server.Payments;
using Touchpoint.Server.Tests.Infrastructure;
using static Touchpoint.Server.Tests.Authorization.Caller;
using static Touchpoint.Server.Tests.Authorization.GatewayCodes;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>
/// The trade and face methods act for the call's merchant: its own app, or a provider's app with its app_auth_token (no
/// grant needed: the token is the merchant's authorization, as on Alipay). A payment must be taken at the merchant's own
/// terminal; a trade or a face token of another merchant does not exist for the caller.
/// </summary>
public static class PaymentsGatewayMatrix
{
    private const string Pay = "alipay.trade.pay";
    private const string Precreate = "alipay.trade.precreate";
    private const string Query = "alipay.trade.query";
    private const string Refund = "alipay.trade.refund";
    private const string RefundQuery = "alipay.trade.fastpay.refund.query";
    private const string Cancel = "alipay.trade.cancel";
    private const string Close = "alipay.trade.close";
    private const string Initialize = "zoloz.authentication.customer.smilepay.initialize";
    private const string FtokenQuery = "zoloz.authentication.customer.ftoken.query";

    private const string NotExist = "ACQ.TRADE_NOT_EXIST";

    private const string OtherMerchantsDevice = "at another merchant's terminal";
    private const string ProvidersOwnDevice = "at the provider's own terminal";
    private const string OtherMerchantsToken = "a face token from another merchant's terminal";
    private const string OtherMerchantsTrade = "another merchant's trade";

    public static readonly IReadOnlyList<GatewayRow> Rows =
    [
        //  method       caller      code          sub_code                            case
        new(Pay,         OwnApp,     Ok),
        new(Pay,         OwnApp,     Insufficient, NoPermission,                       OtherMerchantsDevice),
        new(Pay,         OwnApp,     Business,     "ACQ.SMILE_PAY_MERCHANT_NOT_MATCH", OtherMerchantsToken),
        new(Pay,         OnBehalf,   Ok),
        new(Pay,         OnBehalf,   Insufficient, NoPermission,                       ProvidersOwnDevice),
        new(Pay,         UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(Pay,         Unsigned,   Missing,      "isv.missing-signature"),
        new(Precreate,   OwnApp,     Ok),
        new(Precreate,   OwnApp,     Insufficient, NoPermission,                       OtherMerchantsDevice),
        new(Precreate,   OnBehalf,   Ok),
        new(Precreate,   UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(Precreate,   Unsigned,   Missing,      "isv.missing-signature"),
        new(Query,       OwnApp,     Ok),
        new(Query,       OwnApp,     Business,     NotExist,                           OtherMerchantsTrade),
        new(Query,       OnBehalf,   Ok),
        new(Query,       OnBehalf,   Business,     NotExist,                           OtherMerchantsTrade),
        new(Query,       UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(Query,       Unsigned,   Missing,      "isv.missing-signature"),
        new(Refund,      OwnApp,     Ok),
        new(Refund,      OwnApp,     Business,     NotExist,                           OtherMerchantsTrade),
        new(Refund,      OnBehalf,   Ok),
        new(Refund,      UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(Refund,      Unsigned,   Missing,      "isv.missing-signature"),
        new(RefundQuery, OwnApp,     Ok),
        new(RefundQuery, OwnApp,     Business,     NotExist,                           OtherMerchantsTrade),
        new(RefundQuery, OnBehalf,   Ok),
        new(RefundQuery, UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(RefundQuery, Unsigned,   Missing,      "isv.missing-signature"),
        new(Cancel,      OwnApp,     Ok),
        new(Cancel,      OwnApp,     Business,     NotExist,                           OtherMerchantsTrade),
        new(Cancel,      OnBehalf,   Ok),
        new(Cancel,      UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(Cancel,      Unsigned,   Missing,      "isv.missing-signature"),
        new(Close,       OwnApp,     Ok),
        new(Close,       OwnApp,     Business,     NotExist,                           OtherMerchantsTrade),
        new(Close,       OnBehalf,   Ok),
        new(Close,       UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(Close,       Unsigned,   Missing,      "isv.missing-signature"),
        new(Initialize,  OwnApp,     Ok),
        new(Initialize,  OwnApp,     Insufficient, NoPermission,                       OtherMerchantsDevice),
        new(Initialize,  OnBehalf,   Ok),
        new(Initialize,  OnBehalf,   Insufficient, NoPermission,                       ProvidersOwnDevice),
        new(Initialize,  UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(Initialize,  Unsigned,   Missing,      "isv.missing-signature"),
        new(FtokenQuery, OwnApp,     Ok),
        new(FtokenQuery, OwnApp,     Business,     "ZOLOZ_FTOKEN_INVALID",             OtherMerchantsToken),
        new(FtokenQuery, OnBehalf,   Ok),
        new(FtokenQuery, UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(FtokenQuery, Unsigned,   Missing,      "isv.missing-signature"),
    ];

    private static async Task<string> DeviceAsync(GatewayRowContext g) =>
        g.Is(OtherMerchantsDevice) ? (await g.W.SubmitAsync(g.W.Other, 1, decide: true)).Sns[0]
        : g.Is(ProvidersOwnDevice) ? (await g.W.SubmitAsync(g.W.Grantee, 1, decide: true)).Sns[0]
        : await g.W.OwnedDeviceAsync();

    /// <summary>A paid trade of the matrix's merchant, or of another merchant.</summary>
    private static async Task<Touchpoint.Core.Payments.Trade> TradeAsync(GatewayRowContext g) =>
        await PaymentsMatrix.TradeAsync(g.W, g.Is(OtherMerchantsTrade) ? g.W.Other : null);

    private static async Task<GatewayCall> OnTradeAsync(GatewayRowContext g, Func<Touchpoint.Core.Payments.Trade, object> biz) =>
        await g.SharedAsync(biz(await TradeAsync(g)));

    public static readonly IReadOnlyDictionary<string, ArrangeGateway> Arrangements = new Dictionary<string, ArrangeGateway>
    {
        [Pay] = async g =>
        {
            if (g.Is(OtherMerchantsToken))
            {
                var token = await PaymentsMatrix.FtokenAsync(g.W, (await g.W.SubmitAsync(g.W.Other, 1, decide: true)).Sns[0]);
                return await g.SharedAsync(new { out_trade_no = PaymentScenario.NewOrderNo(), scene = "security_code", auth_code = token, total_amount = "0.01", subject = "矩阵" });
            }
            var (code, _) = await g.W.F.Services.GetRequiredService<MemberAdmin>().PaymentCodeAsync(MatrixWorld.MemberUserId, default);
            return await g.SharedAsync(new
            {
                out_trade_no = PaymentScenario.NewOrderNo(), scene = "bar_code", auth_code = code, total_amount = "0.01", subject = "矩阵", terminal_id = await DeviceAsync(g),
            });
        },
        [Precreate] = async g => await g.SharedAsync(new { out_trade_no = PaymentScenario.NewOrderNo(), total_amount = "0.01", subject = "矩阵", terminal_id = await DeviceAsync(g) }),
        [Query] = g => OnTradeAsync(g, t => new { trade_no = t.TradeNo }),
        [Refund] = g => OnTradeAsync(g, t => new { out_trade_no = t.OutTradeNo, refund_amount = "0.01", out_request_no = "M1" }),
        [RefundQuery] = g => OnTradeAsync(g, t => new { out_trade_no = t.OutTradeNo, out_request_no = "M1" }),
        [Cancel] = g => OnTradeAsync(g, t => new { trade_no = t.TradeNo }),
        [Close] = async g =>
        {
            var seller = g.Is(OtherMerchantsTrade) ? g.W.Other : g.W.Owner;
            var pre = await g.W.F.Services.GetRequiredService<TradeService>().PrecreateAsync(seller.Id, null, PaymentScenario.NewOrderNo(), "0.01", "矩阵", null, null, null, null, null, default);
            return await g.SharedAsync(new { out_trade_no = pre.Trade.OutTradeNo });
        },
        [Initialize] = async g => await g.SharedAsync(new { zimmetainfo = JsonSerializer.Serialize(new { sn = await DeviceAsync(g), appName = "matrix" }) }),
        [FtokenQuery] = async g =>
        {
            var sn = g.Is(OtherMerchantsToken) ? (await g.W.SubmitAsync(g.W.Other, 1, decide: true)).Sns[0] : await g.W.OwnedDeviceAsync();
            return await g.SharedAsync(new { ftoken = await PaymentsMatrix.FtokenAsync(g.W, sn), biz_type = "1" });
        },
    };
}
