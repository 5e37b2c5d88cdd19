namespace Touchpoint.Server.Common;

/// <summary>The console shows China Standard Time (UTC+8, no daylight saving) whatever the server's zone.</summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static string Format(DateTime? utc, string format = "yyyy-MM-dd HH:mm:ss") =>
        utc is null ? "" : (utc.Value + Offset).ToString(format, System.Globalization.CultureInfo.InvariantCulture);

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime + Offset);

    /// <summary>The instant a date chosen in China ends: the first moment of the next day, as UTC.</summary>
    public static DateTime EndOfDayUtc(DateOnly date) =>
        DateTime.SpecifyKind(date.AddDays(1).ToDateTime(TimeOnly.MinValue) - Offset, DateTimeKind.Utc);
}
