namespace Touchpoint.Core.Payments;

public enum TradeStatus
{
    /// <summary>WAIT_BUYER_PAY: created (a QR code, or a payment the member still has to confirm).</summary>
    WaitBuyerPay,
    /// <summary>TRADE_SUCCESS: paid; refunds possible.</summary>
    Success,
    /// <summary>TRADE_CLOSED: never paid and closed, or fully refunded.</summary>
    Closed,
    /// <summary>TRADE_FINISHED: paid and no longer refundable.</summary>
    Finished,
}

public enum TradeScene
{
    /// <summary>scene=bar_code: the member's payment code.</summary>
    BarCode,
    /// <summary>scene=security_code: the terminal's face token.</summary>
    SecurityCode,
    /// <summary>alipay.trade.precreate: a QR code the member scans.</summary>
    QrCode,
}

/// <summary>One trade as alipay.trade.query answers it. The merchant (seller) is the owner of the terminal it was paid at.</summary>
public sealed class Trade
{
    public long Id { get; set; }
    /// <summary>28 digits: the China date, then digits that tell nothing.</summary>
    public required string TradeNo { get; set; }
    public required string OutTradeNo { get; set; }
    /// <summary>The merchant account (seller_id); out_trade_no is unique per seller.</summary>
    public long SellerId { get; set; }
    /// <summary>The app that created it (its notifications are signed for this app_id).</summary>
    public long? AppId { get; set; }
    public long? DeviceId { get; set; }
    public string? DeviceSn { get; set; }
    public long? MemberId { get; set; }
    public TradeScene Scene { get; set; }
    public required string ProductCode { get; set; }
    public required string Subject { get; set; }
    public string? StoreId { get; set; }
    public long TotalCents { get; set; }
    public long RefundedCents { get; set; }
    public TradeStatus Status { get; set; }
    public FundingKind? FundKind { get; set; }
    /// <summary>The funding source debited (a refund goes back to it).</summary>
    public long? FundSourceId { get; set; }
    public string? NotifyUrl { get; set; }
    /// <summary>What an identical retry must repeat (amount, subject, scene, code): a digest, so a different retry is ACQ.CONTEXT_INCONSISTENT.</summary>
    public required string RequestDigest { get; set; }
    /// <summary>The China day the face payment counted against (<see cref="Money.ChinaDay"/>); null when not by face.</summary>
    public int? FaceDay { get; set; }
    /// <summary>The face session whose token paid it.</summary>
    public long? FaceSessionId { get; set; }
    /// <summary>For a QR code: the token in qr_code.</summary>
    public string? QrToken { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? PaidAtUtc { get; set; }
    public DateTime? ClosedAtUtc { get; set; }
    /// <summary>Until when an unpaid trade may still be paid (timeout_express).</summary>
    public DateTime? PayBeforeUtc { get; set; }
    public int Revision { get; set; }

    public long RefundableCents => Status == TradeStatus.Success ? TotalCents - RefundedCents : 0;
}

/// <summary>One refund of a trade, unique per (trade, out_request_no): the same request again changes nothing.</summary>
public sealed class TradeRefund
{
    public long Id { get; set; }
    public long TradeId { get; set; }
    public required string OutRequestNo { get; set; }
    public long AmountCents { get; set; }
    public string? Reason { get; set; }
    /// <summary>Who refunded: an app (gateway) or an account (console).</summary>
    public long? AppId { get; set; }
    public long? AccountId { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}

public static class TradeStatuses
{
    public static string Wire(this TradeStatus status) => status switch
    {
        TradeStatus.WaitBuyerPay => "WAIT_BUYER_PAY",
        TradeStatus.Success => "TRADE_SUCCESS",
        TradeStatus.Closed => "TRADE_CLOSED",
        TradeStatus.Finished => "TRADE_FINISHED",
        _ => status.ToString(),
    };

    public static string Chinese(this TradeStatus status) => status switch
    {
        TradeStatus.WaitBuyerPay => "等待付款",
        TradeStatus.Success => "支付成功",
        TradeStatus.Closed => "交易关闭",
        TradeStatus.Finished => "交易完结",
        _ => status.ToString(),
    };

    public static string Chinese(this TradeScene scene) => scene switch
    {
        TradeScene.BarCode => "付款码",
        TradeScene.SecurityCode => "刷脸",
        TradeScene.QrCode => "扫码",
        _ => scene.ToString(),
    };

    public static string Wire(this TradeScene scene) => scene switch
    {
        TradeScene.BarCode => "bar_code",
        TradeScene.SecurityCode => "security_code",
        TradeScene.QrCode => "qr_code",
        _ => scene.ToString(),
    };
}
