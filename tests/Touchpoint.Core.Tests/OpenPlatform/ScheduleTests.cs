using Touchpoint.Core.OpenPlatform;

namespace Touchpoint.Core.Tests.OpenPlatform;

public sealed class ScheduleTests
{
    [Theory]
    // Tuesday 10:00 China → end of Friday; Thursday → end of next Tuesday (the weekend does not count).
    [InlineData("2026-11-24T02:00:00Z", "2026-11-27T15:59:59Z")]
    [InlineData("2026-11-26T02:00:00Z", "2026-12-01T15:59:59Z")]
    // Friday 23:30 China is already Friday there, even though it is Friday afternoon in UTC.
    [InlineData("2026-11-27T15:30:00Z", "2026-12-02T15:59:59Z")]
    public void ReviewIsExpectedByTheEndOfTheThirdWorkingDay(string submitted, string expected) =>
        Assert.Equal(DateTime.Parse(expected).ToUniversalTime(), ReviewCalendar.ExpectedBy(DateTime.Parse(submitted).ToUniversalTime()));

    [Fact]
    public void RetriesSpreadOverAboutADayThenStop()
    {
        var total = Enumerable.Range(1, RetrySchedule.Delays.Count).Sum(n => RetrySchedule.After(n)!.Value.TotalHours);
        Assert.InRange(total, 24, 25);
        Assert.Equal(TimeSpan.FromMinutes(4), RetrySchedule.After(1));
        Assert.Null(RetrySchedule.After(RetrySchedule.Delays.Count + 1));
        Assert.Equal(TimeSpan.FromSeconds(2.4), RetrySchedule.After(1, scale: 0.01));
    }
}
