using Touchpoint.Server.Posters;

namespace Touchpoint.Server.Tests;

/// <summary>When a device's report behind the current schedule is answered with it again, and when not.</summary>
public sealed class PosterDeliveryRuleTests
{
    private const long Now = 1_000_000;
    private static readonly long InFlight = (long)PosterDelivery.InFlight.TotalMilliseconds;

    [Fact]
    public void AReportBehindAScheduleSentMomentsAgoIsNotAnsweredAgain() =>
        Assert.True(PosterDelivery.OnItsWay(reported: 4, known: 5, sent: (5, Now - 2_000), Now));

    [Fact]
    public void AReportStillBehindOnceTheScheduleHadTimeToArriveIsAnswered() =>
        Assert.False(PosterDelivery.OnItsWay(reported: 4, known: 5, sent: (5, Now - InFlight), Now));

    [Fact]
    public void AReportBehindARevisionNeverSentIsAnswered()
    {
        Assert.False(PosterDelivery.OnItsWay(reported: 4, known: 6, sent: (5, Now - 1_000), Now)); // an older revision went out
        Assert.False(PosterDelivery.OnItsWay(reported: 4, known: 5, sent: null, Now)); // nothing went out, or the device reconnected since
    }

    [Fact]
    public void AReportAtOrAheadOfTheKnownRevisionIsNeverTakenForOneInFlight() =>
        Assert.False(PosterDelivery.OnItsWay(reported: 6, known: 5, sent: (5, Now - 1_000), Now));
}
