namespace Touchpoint.Core.Payments;

public enum FaceSessionStatus
{
    /// <summary>Waiting for a member in front of the camera.</summary>
    Waiting,
    /// <summary>A face was captured; the terminal asks for phone digits.</summary>
    Verifying,
    /// <summary>Identified: the face token (ftoken) is issued.</summary>
    Identified,
    /// <summary>The cashier paid with the token.</summary>
    Paid,
    Failed,
    Cancelled,
}

/// <summary>
/// One face-pay attempt at a terminal, from zoloz.authentication.customer.smilepay.initialize (a service provider's own
/// cashier) or from the IoT cashier started at the terminal with an amount: the capture, the escalation, the token.
/// </summary>
public sealed class FaceSession
{
    public long Id { get; set; }
    /// <summary>zimId: the handle the face SDK and ftoken.query use.</summary>
    public required string ZimId { get; set; }
    public long DeviceId { get; set; }
    public required string DeviceSn { get; set; }
    /// <summary>The terminal's owner when the session started: the merchant any trade goes to.</summary>
    public long SellerId { get; set; }
    /// <summary>The app whose cashier runs (the trade's app, its notifications); null when none was named.</summary>
    public long? AppId { get; set; }
    /// <summary>IoT cashier: the amount to pay once identified. Null for a service provider's own cashier (token only).</summary>
    public long? AmountCents { get; set; }
    public string? OutTradeNo { get; set; }
    public string? Subject { get; set; }
    public string? NotifyUrl { get; set; }
    public FaceSessionStatus Status { get; set; }
    public long? MemberId { get; set; }
    public VerifyLevel VerifyLevel { get; set; }
    /// <summary>Wrong digits so far (a second wrong answer fails the payment).</summary>
    public int VerifyFailures { get; set; }
    public string? FtokenHash { get; set; }
    public DateTime? FtokenUsedAtUtc { get; set; }
    public long? TradeId { get; set; }
    /// <summary>What the terminal shows when it failed: a Z-code, 1400, or an ACQ sub_code.</summary>
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public required string Source { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime ExpiresAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public int Revision { get; set; }

    public bool IsOpen => Status is FaceSessionStatus.Waiting or FaceSessionStatus.Verifying;
}

/// <summary>One capture at a terminal (刷脸记录): what the camera saw, the outcome, why it escalated, how verification ended.</summary>
public sealed class FaceCapture
{
    public long Id { get; set; }
    public long SessionId { get; set; }
    public long DeviceId { get; set; }
    /// <summary>The device's owner at the time (fleet comparisons, who may read it).</summary>
    public long? SellerId { get; set; }
    public long? MemberId { get; set; }
    public CaptureConditions Conditions { get; set; }
    public bool Captured { get; set; }
    public string? ZCode { get; set; }
    public string? Reason { get; set; }
    public VerifyLevel VerifyLevel { get; set; }
    /// <summary>Why it escalated, in Chinese ("光线过强；相似脸").</summary>
    public string? Escalation { get; set; }
    /// <summary>Null until answered (or when no verification was asked).</summary>
    public bool? VerifyPassed { get; set; }
    /// <summary>How the attempt ended for the payment: 成功, or the error the terminal showed.</summary>
    public string? Result { get; set; }
    public DateTime AtUtc { get; set; }
}
