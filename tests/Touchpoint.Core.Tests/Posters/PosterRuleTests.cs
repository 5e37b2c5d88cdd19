using Touchpoint.Core.Posters;

namespace Touchpoint.Core.Tests.Posters;

public class PosterRuleTests
{
    private static readonly DateTime Dec24 = new(2026, 12, 24);

    private static PosterPlacement Merchant(long id, DateTime start, DateTime? end, int order = 0) =>
        new(id, PosterKind.Merchant, new PosterWindow(start, end), order, $"merchant-{id}");

    private static PosterPlacement Official(long id, int order = 0) => new(id, PosterKind.Official, PosterWindow.Always, order, "platform");

    [Fact]
    public void AFourthMerchantPosterOnAirTogetherIsRefusedNamingTheThreeHolders()
    {
        var existing = new[] { Merchant(1, Dec24, Dec24.AddDays(2)), Merchant(2, Dec24, null), Merchant(3, Dec24.AddHours(6), Dec24.AddDays(1)) };
        var full = PosterSlots.Full(existing, PosterKind.Merchant, new PosterWindow(Dec24.AddHours(12), Dec24.AddHours(13)));
        Assert.NotNull(full);
        Assert.Equal(Dec24.AddHours(12), full.Value.At);
        Assert.Equal([1L, 2, 3], full.Value.Holders.Select(h => h.PosterId));
    }

    [Fact]
    public void WindowsThatDoNotOverlapShareASlot()
    {
        // Three mornings and three afternoons: six placements, never more than three on air.
        var existing = new[]
        {
            Merchant(1, Dec24.AddHours(8), Dec24.AddHours(12)), Merchant(2, Dec24.AddHours(8), Dec24.AddHours(12)), Merchant(3, Dec24.AddHours(8), Dec24.AddHours(12)),
            Merchant(4, Dec24.AddHours(12), Dec24.AddHours(18)), Merchant(5, Dec24.AddHours(12), Dec24.AddHours(18)),
        };
        Assert.Null(PosterSlots.Full(existing, PosterKind.Merchant, new PosterWindow(Dec24.AddHours(12), Dec24.AddHours(18))));
        // Half-open windows: one ending at noon does not hold a slot at noon.
        Assert.Null(PosterSlots.Full(existing.Take(3), PosterKind.Merchant, new PosterWindow(Dec24.AddHours(12), null)));
        Assert.NotNull(PosterSlots.Full(existing.Take(3), PosterKind.Merchant, new PosterWindow(Dec24.AddHours(11).AddMinutes(59), null)));
    }

    [Fact]
    public void TheSlotsFillPartWayThroughTheNewWindowAndThatMomentIsReported()
    {
        // Two all day; a third from 15:00: a new all-day placement fits at 09:00 but not from 15:00.
        var existing = new[] { Merchant(1, Dec24, Dec24.AddDays(1)), Merchant(2, Dec24, Dec24.AddDays(1)), Merchant(3, Dec24.AddHours(15), Dec24.AddDays(1)) };
        var full = PosterSlots.Full(existing, PosterKind.Merchant, new PosterWindow(Dec24.AddHours(9), Dec24.AddDays(1)));
        Assert.Equal(Dec24.AddHours(15), full!.Value.At);
        Assert.Null(PosterSlots.Full(existing, PosterKind.Merchant, new PosterWindow(Dec24.AddHours(9), Dec24.AddHours(15))));
    }

    [Fact]
    public void OfficialPostersHaveTheirOwnThreeSlots()
    {
        var existing = new[] { Official(1), Official(2), Official(3), Merchant(4, Dec24, null), Merchant(5, Dec24, null) };
        Assert.Null(PosterSlots.Full(existing, PosterKind.Merchant, PosterWindow.Always));
        Assert.NotNull(PosterSlots.Full(existing, PosterKind.Official, PosterWindow.Always));
    }

    [Fact]
    public void ConflictsNameEveryDeviceThatIsFullAndNoOther()
    {
        var full = new[] { Merchant(1, Dec24, null), Merchant(2, Dec24, null), Merchant(3, Dec24, null) };
        var devices = new Dictionary<long, IReadOnlyList<PosterPlacement>> { [20] = full, [10] = full, [30] = full.Take(2).ToList() };
        var conflicts = PosterSlots.Conflicts(devices, PosterKind.Merchant, new PosterWindow(Dec24.AddDays(1), null));
        Assert.Equal([10L, 20], conflicts.Select(c => c.DeviceId));
        Assert.All(conflicts, c => Assert.Equal(3, c.Holders.Count));
    }

    [Fact]
    public void TheRotationShowsMerchantThenOfficialPostersTenSecondsEach()
    {
        var placements = new[] { Official(7, order: 1), Merchant(2, Dec24, null, order: 2), Merchant(1, Dec24, null, order: 1), Official(6, order: 0) };
        var utc = new DateTime(2026, 12, 24, 4, 0, 0, DateTimeKind.Utc); // a multiple of 10 s since the epoch
        var zone = PosterRotation.Zone("Asia/Shanghai");
        var seen = Enumerable.Range(0, 5).Select(i => PosterRotation.At(placements, utc.AddSeconds(10 * i), zone)!).ToList();
        var ids = seen.Select(s => s.Poster.PosterId).ToList();
        // The order is the cycle's, starting wherever real time puts it.
        Assert.Equal([1L, 2, 6, 7], seen[0].Cycle.Select(p => p.PosterId));
        Assert.Equal(ids[0], ids[4]);
        Assert.Equal(4, ids.Take(4).Distinct().Count());
        Assert.Equal(seen[1].Poster, seen[0].Next);
        Assert.Equal(10, seen[0].SecondsLeft);
        Assert.Equal(3, PosterRotation.At(placements, utc.AddSeconds(7), zone)!.SecondsLeft);
        Assert.Equal(seen[0].Poster, PosterRotation.At(placements, utc.AddSeconds(9), zone)!.Poster);
    }

    [Fact]
    public void AWindowIsEvaluatedInTheDevicesOwnLocalTime()
    {
        // "From midnight on the 24th" starts at 16:00 UTC on the 23rd in Shanghai, and 05:00 UTC on the 24th in New York.
        var eve = new[] { Merchant(1, Dec24, Dec24.AddDays(1)) };
        var shanghai = PosterRotation.Zone("Asia/Shanghai");
        var newYork = PosterRotation.Zone("America/New_York");
        var at = new DateTime(2026, 12, 23, 16, 30, 0, DateTimeKind.Utc);
        Assert.NotNull(PosterRotation.At(eve, at, shanghai));
        Assert.Null(PosterRotation.At(eve, at, newYork));
        Assert.NotNull(PosterRotation.At(eve, new DateTime(2026, 12, 24, 5, 30, 0, DateTimeKind.Utc), newYork));
        Assert.Null(PosterRotation.At(eve, new DateTime(2026, 12, 24, 16, 30, 0, DateTimeKind.Utc), shanghai));
    }

    [Fact]
    public void AnUnknownZoneFallsBackToChinaTime() =>
        Assert.Equal(TimeSpan.FromHours(8), PosterRotation.Zone("Mars/Olympus").GetUtcOffset(DateTime.UtcNow));

    [Fact]
    public void OnlyThreeOfAKindRotateEvenIfMoreRowsExist()
    {
        var four = Enumerable.Range(1, 4).Select(i => Merchant(i, Dec24, null, order: i)).ToArray();
        Assert.Equal([1L, 2, 3], PosterRotation.Cycle(four, Dec24.AddHours(1)).Select(p => p.PosterId));
        Assert.Empty(PosterRotation.Cycle(four, Dec24.AddHours(-1)));
    }

    [Theory]
    [InlineData(false, PosterPath.Console, true)]
    [InlineData(false, PosterPath.Gateway, true)]
    [InlineData(false, PosterPath.Clerk, false)]
    [InlineData(true, PosterPath.Console, false)]
    [InlineData(true, PosterPath.Gateway, false)]
    [InlineData(true, PosterPath.Clerk, true)]
    [InlineData(true, PosterPath.Campaign, false)]
    [InlineData(false, PosterPath.Campaign, false)]
    public void AdminModeDecidesWhoPlacesMerchantPosters(bool adminMode, PosterPath path, bool refused)
    {
        var refusal = AdminMode.Refusal(adminMode, path);
        Assert.Equal(refused, refusal is not null);
        if (refused)
        {
            Assert.Contains("管理员模式", refusal);
        }
    }

    [Fact]
    public void TurningAdminModeOffSaysWhatHappensToConsolePlacedPosters()
    {
        Assert.Contains("3 张海报继续按原时段播放", AdminMode.TurningOff(3));
        Assert.DoesNotContain("张海报", AdminMode.TurningOff(0));
    }

    [Fact]
    public void AWindowMustEndAfterItStarts()
    {
        Assert.False(new PosterWindow(Dec24, Dec24).IsValid);
        Assert.True(new PosterWindow(Dec24, null).IsValid);
        Assert.True(new PosterWindow(Dec24, Dec24.AddSeconds(1)).IsValid);
    }
}
