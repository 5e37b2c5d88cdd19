using Touchpoint.Core.Broadcasts;

namespace Touchpoint.Core.Tests.Broadcasts;

public class VoiceScheduleTests
{
    private static readonly DateTime Nine = new(2026, 12, 24, 9, 0, 0);
    private static readonly VoiceSchedule EveryHalfHour = new(Nine, Nine.AddHours(2), TimeSpan.FromMinutes(30));

    [Fact]
    public void PlaysFallOnTheGridFromTheStartToTheEndExclusive()
    {
        Assert.Null(EveryHalfHour.LastDue(Nine.AddSeconds(-1)));
        Assert.Equal(Nine, EveryHalfHour.LastDue(Nine));
        Assert.Equal(Nine.AddMinutes(30), EveryHalfHour.LastDue(Nine.AddMinutes(59)));
        Assert.Equal(Nine.AddMinutes(90), EveryHalfHour.LastDue(Nine.AddMinutes(119)));
        Assert.Null(EveryHalfHour.LastDue(Nine.AddHours(2)));
        Assert.Equal(Nine, EveryHalfHour.Next(Nine.AddHours(-3)));
        Assert.Equal(Nine.AddMinutes(60), EveryHalfHour.Next(Nine.AddMinutes(30)));
        Assert.Null(EveryHalfHour.Next(Nine.AddMinutes(90)));
    }

    [Fact]
    public void ADeviceBackFromOfflinePlaysOnceForTheCurrentSlotNotForEveryMissedOne()
    {
        var back = Nine.AddMinutes(75);
        Assert.True(EveryHalfHour.DueNow(back, lastPlayedLocal: Nine));
        Assert.False(EveryHalfHour.DueNow(back, lastPlayedLocal: Nine.AddMinutes(61)));
        Assert.True(EveryHalfHour.DueNow(Nine, lastPlayedLocal: null));
        Assert.False(EveryHalfHour.DueNow(Nine.AddHours(3), lastPlayedLocal: null));
    }

    [Fact]
    public void AnOpenEndedScheduleGoesOn()
    {
        var daily = new VoiceSchedule(Nine, null, TimeSpan.FromDays(1));
        Assert.Equal(Nine.AddDays(365), daily.LastDue(Nine.AddDays(365).AddHours(5)));
        Assert.Equal(Nine.AddDays(366), daily.Next(Nine.AddDays(365).AddHours(5)));
    }

    [Fact]
    public void BadSchedulesAndVolumesSayWhy()
    {
        Assert.Equal("播报间隔不能短于 1 分钟", new VoiceSchedule(Nine, null, TimeSpan.FromSeconds(59)).Problem);
        Assert.Equal("结束时间必须晚于开始时间", new VoiceSchedule(Nine, Nine, TimeSpan.FromMinutes(5)).Problem);
        Assert.Null(EveryHalfHour.Problem);
        Assert.Equal("音量必须在 0 到 100 之间", new AnnouncementSettings(true, 101).Problem);
        Assert.Null(new AnnouncementSettings(false, 0).Problem);
    }
}
