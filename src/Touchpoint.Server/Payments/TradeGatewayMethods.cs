using System.Text.Json;
using System.Text.Json.Nodes;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Core.Payments;
using Touchpoint.Server.Common;
using Touchpoint.Server.Diagnostics;
using Touchpoint.Server.OpenApi;

namespace Touchpoint.Server.Payments;

/// <summary>The answers' shared fields, named as Alipay's trade responses name them (ALIPAY-IOT.md §2).</summary>
internal static class TradeFields
{
    public static JsonObject Of(TradeView v, bool withStatus)
    {
        var t = v.Trade;
        var node = new JsonObject
        {
            ["trade_no"] = t.TradeNo,
            ["out_trade_no"] = t.OutTradeNo,
            ["buyer_logon_id"] = v.BuyerLogonId,
            ["buyer_user_id"] = v.BuyerUserId,
            ["total_amount"] = v.TotalAmount,
        };
        if (withStatus)
        {
            node["trade_status"] = v.StatusWire;
        }
        if (t.PaidAtUtc is not null)
        {
            node["receipt_amount"] = Money.Format(t.TotalCents - t.RefundedCents);
            node["buyer_pay_amount"] = Money.Format(t.TotalCents - t.RefundedCents);
            node["gmt_payment"] = ChinaTime.Format(t.PaidAtUtc);
            node["send_pay_date"] = ChinaTime.Format(t.PaidAtUtc);
            node["fund_bill_list"] = new JsonArray(v.FundBills.Select(b => (JsonNode)new JsonObject { ["fund_channel"] = b.Channel, ["amount"] = b.Amount }).ToArray());
        }
        if (t.DeviceSn is not null)
        {
            node["terminal_id"] = t.DeviceSn;
        }
        if (t.StoreId is not null)
        {
            node["store_id"] = t.StoreId;
        }
        return node;
    }

    public static long Seller(GatewayCall call) => call.Target.OwnerId;
}

/// <summary>alipay.trade.pay: scene=bar_code with the member's payment code, scene=security_code with the terminal's face token.</summary>
public sealed class TradePayMethod(TradeService trades) : IGatewayMethod
{
    public string Name => "alipay.trade.pay";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var outcome = await trades.PayAsync(new PayRequest
        {
            SellerId = TradeFields.Seller(call),
            AppId = call.Caller.Id,
            AppCode = call.Caller.AppId,
            OutTradeNo = call.Text("out_trade_no"),
            TotalAmount = call.Text("total_amount"),
            Subject = call.Text("subject"),
            Scene = call.Text("scene")?.Trim(),
            AuthCode = call.Text("auth_code"),
            ProductCode = call.Text("product_code"),
            StoreId = call.Text("store_id"),
            TerminalSn = call.Text("terminal_id"),
            NotifyUrl = call.Text("notify_url"),
            Actor = DiagnosticsEndpoints.ActorOf(call),
        }, ct);
        var node = TradeFields.Of(outcome.View, withStatus: false);
        if (outcome.Waiting)
        {
            // 10003: the member still has to confirm on the phone; poll alipay.trade.query.
            var waiting = new JsonObject { ["code"] = "10003", ["msg"] = " order success pay inprocess" };
            foreach (var (name, value) in node.ToList())
            {
                node.Remove(name);
                waiting[name] = value;
            }
            return waiting;
        }
        return node;
    }
}

/// <summary>alipay.trade.precreate: a trade and the qr_code a member scans.</summary>
public sealed class TradePrecreateMethod(TradeService trades) : IGatewayMethod
{
    public string Name => "alipay.trade.precreate";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var view = await trades.PrecreateAsync(TradeFields.Seller(call), call.Caller.Id, call.Text("out_trade_no"), call.Text("total_amount"),
            call.Text("subject"), call.Text("notify_url"), call.Text("timeout_express"), call.Text("store_id"), call.Text("terminal_id"),
            DiagnosticsEndpoints.ActorOf(call), ct);
        return new JsonObject { ["out_trade_no"] = view.Trade.OutTradeNo, ["qr_code"] = trades.QrCode(view.Trade) };
    }
}

public sealed class TradeQueryMethod(TradeService trades) : IGatewayMethod
{
    public string Name => "alipay.trade.query";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct) =>
        TradeFields.Of(await trades.QueryAsync(TradeFields.Seller(call), call.Text("trade_no"), call.Text("out_trade_no"), ct), withStatus: true);
}

/// <summary>alipay.trade.refund: partial or full, idempotent per out_request_no (fund_change is Y only the first time).</summary>
public sealed class TradeRefundMethod(TradeService trades) : IGatewayMethod
{
    public string Name => "alipay.trade.refund";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var outcome = await trades.RefundAsync(TradeFields.Seller(call), call.Text("trade_no"), call.Text("out_trade_no"), call.Text("refund_amount"),
            call.Text("out_request_no"), call.Text("refund_reason"), call.Caller.Id, null, ct);
        var t = outcome.View.Trade;
        return new JsonObject
        {
            ["trade_no"] = t.TradeNo,
            ["out_trade_no"] = t.OutTradeNo,
            ["buyer_logon_id"] = outcome.View.BuyerLogonId,
            ["buyer_user_id"] = outcome.View.BuyerUserId,
            ["fund_change"] = outcome.FundChange ? "Y" : "N",
            ["refund_fee"] = Money.Format(t.RefundedCents),
            ["send_back_fee"] = Money.Format(outcome.Refund.AmountCents),
            ["gmt_refund_pay"] = ChinaTime.Format(outcome.Refund.CreatedAtUtc),
        };
    }
}

/// <summary>alipay.trade.fastpay.refund.query: one refund by out_request_no (no refund_amount in the answer: no such refund).</summary>
public sealed class RefundQueryMethod(TradeService trades) : IGatewayMethod
{
    public string Name => "alipay.trade.fastpay.refund.query";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var seller = TradeFields.Seller(call);
        var refund = await trades.RefundQueryAsync(seller, call.Text("trade_no"), call.Text("out_trade_no"), call.Text("out_request_no"), ct);
        var view = await trades.QueryAsync(seller, call.Text("trade_no"), call.Text("out_trade_no"), ct);
        var node = new JsonObject
        {
            ["trade_no"] = view.Trade.TradeNo,
            ["out_trade_no"] = view.Trade.OutTradeNo,
            ["out_request_no"] = string.IsNullOrWhiteSpace(call.Text("out_request_no")) ? view.Trade.OutTradeNo : call.Text("out_request_no")!.Trim(),
            ["total_amount"] = view.TotalAmount,
        };
        if (refund is not null)
        {
            node["refund_amount"] = Money.Format(refund.AmountCents);
            node["refund_status"] = "REFUND_SUCCESS";
            node["refund_reason"] = refund.Reason;
            node["gmt_refund_pay"] = ChinaTime.Format(refund.CreatedAtUtc);
        }
        return node;
    }
}

/// <summary>alipay.trade.cancel: closes an unpaid trade, refunds a paid one in full.</summary>
public sealed class TradeCancelMethod(TradeService trades) : IGatewayMethod
{
    public string Name => "alipay.trade.cancel";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var (view, action) = await trades.CancelAsync(TradeFields.Seller(call), call.Text("trade_no"), call.Text("out_trade_no"), call.Caller.Id, null, ct);
        return new JsonObject
        {
            ["trade_no"] = view.Trade.TradeNo, ["out_trade_no"] = view.Trade.OutTradeNo, ["retry_flag"] = "N", ["action"] = action,
        };
    }
}

public sealed class TradeCloseMethod(TradeService trades) : IGatewayMethod
{
    public string Name => "alipay.trade.close";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var view = await trades.CloseAsync(TradeFields.Seller(call), call.Text("trade_no"), call.Text("out_trade_no"), ct);
        return new JsonObject { ["trade_no"] = view.Trade.TradeNo, ["out_trade_no"] = view.Trade.OutTradeNo };
    }
}

/// <summary>
/// zoloz.authentication.customer.smilepay.initialize: a service provider's own cashier starts the face SDK at a terminal.
/// <c>zimmetainfo</c> is the SDK's meta info; Touchpoint's carries the terminal's <c>sn</c> (or pass <c>terminal_id</c>).
/// </summary>
public sealed class SmilePayInitializeMethod(FaceCashier cashier) : IGatewayMethod
{
    public string Name => "zoloz.authentication.customer.smilepay.initialize";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var meta = call.Required("zimmetainfo");
        string? sn = call.Text("terminal_id");
        try
        {
            if (JsonNode.Parse(meta) is JsonObject info)
            {
                sn ??= (info["sn"] ?? info["deviceSn"] ?? info["device_sn"])?.ToString();
            }
            else
            {
                throw new JsonException();
            }
        }
        catch (JsonException)
        {
            throw OpenPlatformViolation.Invalid("isv.invalid-parameter", "zimmetainfo 必须是刷脸 SDK 生成的 JSON 字符串");
        }
        if (string.IsNullOrWhiteSpace(sn))
        {
            throw OpenPlatformViolation.Missing("zimmetainfo.sn（或 terminal_id）");
        }
        CashierStep step;
        try
        {
            step = await cashier.StartAsync(new CashierStart(sn, null, null, null, null, null, "gateway")
            {
                Actor = DiagnosticsEndpoints.ActorOf(call), TokenOnly = true,
            }, ct);
        }
        catch (Core.Common.TouchpointException e) when (e.Kind == Core.Common.FailureKind.Forbidden)
        {
            throw OpenPlatformViolation.Permission("isv.insufficient-isv-permissions", e.Message);
        }
        var result = new JsonObject
        {
            ["zimId"] = step.Session.ZimId,
            ["zimInitClientData"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{{\"zimId\":\"{step.Session.ZimId}\",\"sn\":\"{step.Session.DeviceSn}\"}}")),
        };
        return new JsonObject { ["result"] = result.ToJsonString() };
    }
}

/// <summary>zoloz.authentication.customer.ftoken.query: who the face token identified (uid), for this merchant's terminals only.</summary>
public sealed class FtokenQueryMethod(FaceCashier cashier) : IGatewayMethod
{
    public string Name => "zoloz.authentication.customer.ftoken.query";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var (session, userId) = await cashier.FtokenAsync(TradeFields.Seller(call), call.Required("ftoken"), call.Text("zim_id"), ct);
        return new JsonObject { ["uid"] = userId, ["zim_id"] = session.ZimId, ["biz_type"] = call.Text("biz_type") ?? "1" };
    }
}
