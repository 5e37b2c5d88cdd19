namespace Touchpoint.Core.Payments;

/// <summary>
/// A member's 付款码: 18 digits starting 28, shown by the (simulated) Alipay client, valid for a minute or two and
/// once. Stored by hash: whoever reads the table cannot pay with it.
/// </summary>
public sealed class PaymentCode
{
    public long Id { get; set; }
    public required string CodeHash { get; set; }
    public long MemberId { get; set; }
    public DateTime IssuedAtUtc { get; set; }
    public DateTime ExpiresAtUtc { get; set; }
    public DateTime? UsedAtUtc { get; set; }

    public const int Length = 18;

    public static bool LooksLikeOne(string? code) => code is { Length: Length } && code.StartsWith("28", StringComparison.Ordinal) && code.All(char.IsAsciiDigit);
}

/// <summary>What a member paid by face on one China calendar day: the row the daily limit is reserved on.</summary>
public sealed class FaceDailyTotal
{
    public long MemberId { get; set; }
    /// <summary>yyyyMMdd in China time (<see cref="Money.ChinaDay"/>).</summary>
    public int Day { get; set; }
    public long Cents { get; set; }
}
