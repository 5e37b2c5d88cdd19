using Touchpoint.Core.Payments;

namespace Touchpoint.Server.Payments;

/// <summary>The <c>Payments</c> section: the seed's limits and how long the simulated tokens live. Amounts in yuan.</summary>
public sealed class PaymentOptions
{
    public const string Section = "Payments";

    /// <summary>R13: what one member may pay by face on one China calendar day.</summary>
    public decimal FaceDailyLimit { get; set; } = 5000m;
    /// <summary>R13: what one IoT cashier request may carry.</summary>
    public decimal CashierMaxAmount { get; set; } = 1_000_000m;
    /// <summary>A payment-code payment above this waits for the member to confirm on the phone (code 10003).</summary>
    public decimal PasswordFreeLimit { get; set; } = 2000m;
    /// <summary>How long a cashier session waits for a face, and a face token stays usable.</summary>
    public int SessionSeconds { get; set; } = 300;
    public int PaymentCodeSeconds { get; set; } = 120;
    /// <summary>timeout_express when a request names none.</summary>
    public int DefaultTimeoutMinutes { get; set; } = 120;
    /// <summary>What qr_code addresses start with.</summary>
    public string QrBaseUrl { get; set; } = "https://qr.touchpoint.local/";
    /// <summary>IoT开放刷脸诊断工具: lookups per account per minute.</summary>
    public int DiagnosisPerMinute { get; set; } = 20;

    public PaymentLimits Limits => new((long)(FaceDailyLimit * 100), (long)(CashierMaxAmount * 100));
    public long PasswordFreeCents => (long)(PasswordFreeLimit * 100);
}
