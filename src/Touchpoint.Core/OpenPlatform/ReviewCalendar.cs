namespace Touchpoint.Core.OpenPlatform;

/// <summary>R31: review usually takes 2–3 working days; the console shows the latest expected day.</summary>
public static class ReviewCalendar
{
    public const int WorkingDays = 3;

    /// <summary>The end of the third working day (Mon–Fri, China time) after submission, as UTC.</summary>
    public static DateTime ExpectedBy(DateTime submittedUtc)
    {
        var china = submittedUtc.AddHours(8).Date;
        var days = 0;
        while (days < WorkingDays)
        {
            china = china.AddDays(1);
            if (china.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
            {
                days++;
            }
        }
        return DateTime.SpecifyKind(china.AddDays(1).AddHours(-8).AddSeconds(-1), DateTimeKind.Utc);
    }
}
