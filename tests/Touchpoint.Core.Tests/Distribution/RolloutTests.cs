using Touchpoint.Core.Devices;
using Touchpoint.Core.Distribution;

namespace Touchpoint.Core.Tests.Distribution;

public class RolloutTests
{
    private static readonly TimeZoneInfo Shanghai = Rollout.Zone("Asia/Shanghai");

    [Theory]
    [InlineData(100, null, null, 100)]
    [InlineData(100, 10, null, 10)]
    [InlineData(100, null, 5, 5)]
    [InlineData(7, null, 10, 1)]
    [InlineData(3, 10, null, 3)]
    [InlineData(0, 10, null, 0)]
    public void FirstWaveIsACountOrAShareOfTheEligibleDevices(int eligible, int? count, int? percent, int expected) =>
        Assert.Equal(expected, Rollout.FirstWaveSize(eligible, new RolloutPolicy { FirstWaveCount = count, FirstWavePercent = percent }));

    [Fact]
    public void AWaveThatMeetsItsSuccessThresholdOpensTheNext()
    {
        var policy = new RolloutPolicy { SuccessThresholdPercent = 90, FailureStopPercent = null };
        var waves = new[] { new WaveCounts(1, 10, 9, 1, 10), new WaveCounts(2, 90, 0, 0, 0) };
        Assert.Equal(RolloutStep.OpenNextWave, Rollout.Evaluate(1, waves, policy).Step);
    }

    [Fact]
    public void AWaveBelowItsSuccessThresholdPausesTheTaskWithTheReason()
    {
        var policy = new RolloutPolicy { SuccessThresholdPercent = 95, FailureStopPercent = null };
        var waves = new[] { new WaveCounts(1, 10, 9, 1, 10), new WaveCounts(2, 90, 0, 0, 0) };
        var decision = Rollout.Evaluate(1, waves, policy);
        Assert.Equal(RolloutStep.AutoPause, decision.Step);
        Assert.Contains("第 1 批成功率 90% 低于 95%", decision.Reason);
    }

    [Fact]
    public void AnUnfinishedWaveKeepsRunning()
    {
        var waves = new[] { new WaveCounts(1, 10, 5, 0, 5), new WaveCounts(2, 90, 0, 0, 0) };
        Assert.Equal(RolloutStep.Continue, Rollout.Evaluate(1, waves, new RolloutPolicy()).Step);
    }

    [Fact]
    public void FailuresStopTheTaskOnlyAfterTheMinimumCount()
    {
        var policy = new RolloutPolicy { FailureStopPercent = 20, FailureMinCount = 5 };
        // 4 of 4 failed: 100 %, but below the minimum count.
        Assert.Equal(RolloutStep.Continue, Rollout.Evaluate(1, [new WaveCounts(1, 100, 0, 4, 4)], policy).Step);
        // 5 of 30 = 16.7 %: under the threshold.
        Assert.Equal(RolloutStep.Continue, Rollout.Evaluate(1, [new WaveCounts(1, 100, 25, 5, 30)], policy).Step);
        // 6 of 30 = 20 %: stop.
        var stop = Rollout.Evaluate(1, [new WaveCounts(1, 100, 24, 6, 30)], policy);
        Assert.Equal(RolloutStep.AutoPause, stop.Step);
        Assert.Contains("自动暂停", stop.Reason);
    }

    [Fact]
    public void SkippedDevicesCountAsEndedButNotAsTried()
    {
        // 10 devices, 8 skipped, 2 succeeded: the wave passed 100 %.
        var waves = new[] { new WaveCounts(1, 10, 2, 0, 10), new WaveCounts(2, 5, 0, 0, 0) };
        Assert.Equal(RolloutStep.OpenNextWave, Rollout.Evaluate(1, waves, new RolloutPolicy()).Step);
    }

    [Fact]
    public void TheTaskCompletesWhenEveryTargetEnded() =>
        Assert.Equal(RolloutStep.Complete, Rollout.Evaluate(2, [new WaveCounts(1, 10, 10, 0, 10), new WaveCounts(2, 3, 2, 1, 3)],
            new RolloutPolicy { FailureStopPercent = null }).Step);

    [Theory]
    [InlineData(null, 0, 50, 50)]
    [InlineData(10, 0, 50, 10)]
    [InlineData(10, 7, 50, 3)]
    [InlineData(10, 12, 50, 0)]
    public void TheRateLimitsDispatchesPerMinute(int? rate, int lastMinute, int batch, int expected) =>
        Assert.Equal(expected, Rollout.Budget(new RolloutPolicy { DevicesPerMinute = rate }, lastMinute, batch));

    [Theory]
    [InlineData(18, 0, false)] // 02:00 in Shanghai: inside 01:00–05:00
    [InlineData(17, 0, false)] // 01:00 in Shanghai: start is inclusive
    [InlineData(16, 59, true)] // 00:59 in Shanghai
    [InlineData(21, 0, true)]  // 05:00 in Shanghai: end is exclusive
    [InlineData(4, 0, true)]   // 12:00 in Shanghai
    public void TheMaintenanceWindowIsTheDevicesLocalTime(int utcHour, int utcMinute, bool waits)
    {
        var policy = new RolloutPolicy { WindowStartMinute = 60, WindowEndMinute = 300 };
        var now = new DateTime(2026, 12, 1, utcHour, utcMinute, 0, DateTimeKind.Utc);
        var waiting = Rollout.WaitingFor(policy, online: true, NetworkType.Wifi, now, Shanghai);
        Assert.Equal(waits, waiting is not null);
        if (waits)
        {
            Assert.Contains("01:00–05:00", waiting);
        }
    }

    [Fact]
    public void AWindowMayWrapMidnight()
    {
        Assert.True(Rollout.InWindow(new DateTime(2026, 12, 1, 15, 30, 0, DateTimeKind.Utc), Shanghai, 22 * 60, 6 * 60)); // 23:30 local
        Assert.True(Rollout.InWindow(new DateTime(2026, 12, 1, 20, 0, 0, DateTimeKind.Utc), Shanghai, 22 * 60, 6 * 60));  // 04:00 local
        Assert.False(Rollout.InWindow(new DateTime(2026, 12, 1, 4, 0, 0, DateTimeKind.Utc), Shanghai, 22 * 60, 6 * 60));  // 12:00 local
    }

    [Fact]
    public void ADeviceInAnotherZoneIsJudgedByItsOwnClock()
    {
        var berlin = Rollout.Zone("Europe/Berlin");
        var now = new DateTime(2026, 12, 1, 1, 30, 0, DateTimeKind.Utc); // 02:30 Berlin, 09:30 Shanghai
        Assert.True(Rollout.InWindow(now, berlin, 120, 300));
        Assert.False(Rollout.InWindow(now, Shanghai, 120, 300));
    }

    [Fact]
    public void CellularDevicesWaitForWifiWhenTheTaskSaysSo()
    {
        var policy = new RolloutPolicy { WifiOnly = true };
        var now = DateTime.UtcNow;
        Assert.NotNull(Rollout.WaitingFor(policy, true, NetworkType.Cellular, now, Shanghai));
        Assert.Null(Rollout.WaitingFor(policy, true, NetworkType.Wifi, now, Shanghai));
        Assert.Null(Rollout.WaitingFor(policy, true, NetworkType.Ethernet, now, Shanghai));
        Assert.Null(Rollout.WaitingFor(new RolloutPolicy(), true, NetworkType.Cellular, now, Shanghai));
        Assert.Contains("离线", Rollout.WaitingFor(policy, false, NetworkType.Wifi, now, Shanghai));
    }

    [Fact]
    public void TimeoutsAndTransientFailuresAreRetriedUpToTheLimit()
    {
        var policy = new RolloutPolicy { MaxRetries = 2, DeviceTimeoutMinutes = 10 };
        var sent = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.False(Rollout.TimedOut(sent, sent.AddMinutes(9), policy));
        Assert.True(Rollout.TimedOut(sent, sent.AddMinutes(10), policy));
        Assert.True(Rollout.ShouldRetry(FailureReason.Timeout, 1, policy));
        Assert.True(Rollout.ShouldRetry(FailureReason.NetworkLost, 2, policy));
        Assert.False(Rollout.ShouldRetry(FailureReason.NetworkLost, 3, policy));
        Assert.False(Rollout.ShouldRetry(FailureReason.InsufficientStorage, 1, policy));
        Assert.False(Rollout.ShouldRetry(FailureReason.SignatureMismatch, 1, policy));
    }

    [Fact]
    public void DeviceReportsOnlyMoveATargetForward()
    {
        Assert.True(TargetStates.DeviceMayMove(TargetState.Sent, TargetState.Downloading));
        Assert.True(TargetStates.DeviceMayMove(TargetState.Downloading, TargetState.Downloading));
        Assert.True(TargetStates.DeviceMayMove(TargetState.Downloaded, TargetState.Installing));
        Assert.False(TargetStates.DeviceMayMove(TargetState.Installing, TargetState.Downloading));
        Assert.False(TargetStates.DeviceMayMove(TargetState.Installing, TargetState.Succeeded));
        Assert.False(TargetStates.DeviceMayMove(TargetState.Succeeded, TargetState.Failed));
        Assert.False(TargetStates.DeviceMayMove(TargetState.Pending, TargetState.Installing));
        Assert.True(TargetStates.DeviceMayMove(TargetState.Installing, TargetState.Failed));
    }

    [Fact]
    public void IncoherentPoliciesAreRefusedInChinese()
    {
        Assert.Null(new RolloutPolicy().Problem());
        Assert.NotNull(new RolloutPolicy { FirstWaveCount = 5, FirstWavePercent = 10 }.Problem());
        Assert.NotNull(new RolloutPolicy { WindowStartMinute = 60 }.Problem());
        Assert.NotNull(new RolloutPolicy { MaxRetries = 9 }.Problem());
        Assert.NotNull(new RolloutPolicy { FailureStopPercent = 0 }.Problem());
    }
}

public class RolloutResumeTests
{
    [Fact]
    public void AfterAResumeOnlyNewFailuresCountTowardsTheStop()
    {
        var policy = new RolloutPolicy { FailureStopPercent = 20, FailureMinCount = 5 };
        var waves = new[] { new WaveCounts(1, 100, 24, 6, 30) };
        Assert.Equal(RolloutStep.AutoPause, Rollout.Evaluate(1, waves, policy).Step);
        Assert.Equal(RolloutStep.Continue, Rollout.Evaluate(1, waves, policy, acceptedFailed: 6, acceptedAttempted: 30).Step);
        var later = new[] { new WaveCounts(1, 100, 30, 12, 42) }; // 6 new failures of 12 new tries
        Assert.Equal(RolloutStep.AutoPause, Rollout.Evaluate(1, later, policy, acceptedFailed: 6, acceptedAttempted: 30).Step);
    }
}
