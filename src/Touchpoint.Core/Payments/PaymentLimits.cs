namespace Touchpoint.Core.Payments;

/// <summary>The seed's limits (R13): 5,000 CNY a member a China day by face; 1,000,000 CNY one cashier request.</summary>
public sealed record PaymentLimits(long FaceDailyCents = 5000_00, long CashierMaxCents = 1_000_000_00)
{
    /// <summary>Error 1400 as the IoT cashier shows it, with the seed's explanation.</summary>
    public string Error1400(long cents) =>
        $"error：1400 支付金额超限（{Money.Format(cents)} 元）：单个支付宝账户单日刷脸支付金额上限 {Money.Spoken(FaceDailyCents)} 元，收银台金额参数上限 {Money.Spoken(CashierMaxCents)} 元，请控制入参不超过该数目";

    /// <summary>The cashier refuses the request itself.</summary>
    public bool CashierAmountExceeds(long cents) => cents > CashierMaxCents;

    /// <summary>
    /// Whether <paramref name="cents"/> more fits the member's day. The server reserves with one conditional UPDATE of this
    /// same comparison, so parallel payments cannot pass it together; this is the rule, for tests and for explaining.
    /// </summary>
    public bool FaceDayAllows(long alreadyPaidToday, long cents) => alreadyPaidToday + cents <= FaceDailyCents;

    /// <summary>
    /// What a refund gives back to the day it was paid on: the refunded amount, if the payment was by face and the refund
    /// happens on the same China day; a later day's refund leaves the past day as it was.
    /// </summary>
    public static long DayCredit(int? faceDay, int refundDay, long refundCents) => faceDay == refundDay ? refundCents : 0;
}
