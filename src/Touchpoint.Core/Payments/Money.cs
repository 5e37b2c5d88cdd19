using System.Globalization;

namespace Touchpoint.Core.Payments;

/// <summary>
/// Amounts are kept in fen (cents) as integers: SQLite has no decimal type, and limits and balances are compared in SQL.
/// On the wire they are yuan with at most two decimals, as Alipay's <c>total_amount</c>.
/// </summary>
public static class Money
{
    /// <summary>Alipay's range for total_amount: [0.01, 100000000].</summary>
    public const long MaxTradeCents = 100_000_000_00;

    /// <summary>"12.5" → 1250; null when the text is not an amount of at most two decimals.</summary>
    public static long? ParseCents(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 16)
        {
            return null;
        }
        if (!decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan))
        {
            return null;
        }
        var cents = yuan * 100;
        return cents == decimal.Truncate(cents) ? (long)cents : null;
    }

    public static string Format(long cents) => (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>How an announcement or a page says it: 12.00 → "12", 12.50 → "12.5".</summary>
    public static string Spoken(long cents) => (cents / 100m).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The China calendar day (UTC+8) of an instant, as yyyyMMdd: the unit of the daily face-pay limit.</summary>
    public static int ChinaDay(DateTime utc)
    {
        var local = utc + TimeSpan.FromHours(8);
        return local.Year * 10000 + local.Month * 100 + local.Day;
    }

    /// <summary>The next midnight in China (UTC+8) after an instant, as UTC: where timeout_express=1c closes a trade.</summary>
    public static DateTime EndOfChinaDay(DateTime utc)
    {
        var local = utc + TimeSpan.FromHours(8);
        return DateTime.SpecifyKind(local.Date.AddDays(1) - TimeSpan.FromHours(8), DateTimeKind.Utc);
    }
}
