using Touchpoint.Core.Accounts;
using Touchpoint.Core.Grants;
using Touchpoint.Core.Payments;

namespace Touchpoint.Core.Tests.Payments;

public sealed class MoneyAndLimitTests
{
    [Theory]
    [InlineData("12.5", 1250L)]
    [InlineData("0.01", 1L)]
    [InlineData("100000000", 10_000_000_000L)]
    [InlineData(" 8.80 ", 880L)]
    public void AmountsAreYuanWithAtMostTwoDecimals(string text, long cents) => Assert.Equal(cents, Money.ParseCents(text));

    [Theory]
    [InlineData("1.001")]
    [InlineData("-1")]
    [InlineData("1e3")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("1,00")]
    public void AnythingElseIsNotAnAmount(string text) => Assert.Null(Money.ParseCents(text));

    [Fact]
    public void TheDailyLimitFollowsTheChinaCalendarDayNotUtc()
    {
        // 15:59:59 UTC is 23:59:59 in China; a second later it is the next China day while UTC is still the same date.
        Assert.Equal(20261202, Money.ChinaDay(new DateTime(2026, 12, 2, 15, 59, 59, DateTimeKind.Utc)));
        Assert.Equal(20261203, Money.ChinaDay(new DateTime(2026, 12, 2, 16, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(20270101, Money.ChinaDay(new DateTime(2026, 12, 31, 16, 30, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void OneCClosesAtTheNextChinaMidnightWhateverTheHour()
    {
        // 09:00 and 23:59 China time on 2 December both close at 00:00 on 3 December China time, 16:00 UTC on the 2nd.
        var midnight = new DateTime(2026, 12, 2, 16, 0, 0, DateTimeKind.Utc);
        Assert.Equal(midnight, Money.EndOfChinaDay(new DateTime(2026, 12, 2, 1, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(midnight, Money.EndOfChinaDay(new DateTime(2026, 12, 2, 15, 59, 0, DateTimeKind.Utc)));
        // 00:30 China time on the 3rd is still 2 December in UTC, and closes a day later.
        Assert.Equal(midnight.AddDays(1), Money.EndOfChinaDay(new DateTime(2026, 12, 2, 16, 30, 0, DateTimeKind.Utc)));
        Assert.Equal(DateTimeKind.Utc, Money.EndOfChinaDay(midnight).Kind);
    }

    [Fact]
    public void FiveThousandADayByFaceIsReachedExactlyAndNotPassed()
    {
        var limits = new PaymentLimits();
        Assert.True(limits.FaceDayAllows(4999_00, 1_00));
        Assert.False(limits.FaceDayAllows(4999_00, 1_01));
        Assert.False(limits.FaceDayAllows(0, 5000_01));
        Assert.True(limits.CashierAmountExceeds(1_000_000_01));
        Assert.False(limits.CashierAmountExceeds(1_000_000_00));
        Assert.Contains("error：1400", limits.Error1400(6000_00));
        Assert.Contains("5000 元", limits.Error1400(6000_00));
        Assert.Contains("1000000 元", limits.Error1400(6000_00));
    }

    [Fact]
    public void ARefundGivesBackTheDayOnlyOnTheDayItWasPaid()
    {
        Assert.Equal(300, PaymentLimits.DayCredit(20261202, 20261202, 300));
        Assert.Equal(0, PaymentLimits.DayCredit(20261202, 20261203, 300));
        Assert.Equal(0, PaymentLimits.DayCredit(null, 20261202, 300)); // not a face payment
    }
}

public sealed class FaceCaptureRuleTests
{
    [Fact]
    public void ACleanCaptureAsksNothing()
    {
        var outcome = FaceCaptureRule.Evaluate(CaptureConditions.None, 0, lookAlike: false);
        Assert.True(outcome.Captured);
        Assert.Equal(VerifyLevel.None, outcome.Verify);
    }

    [Fact]
    public void ABlockedCameraAlwaysFailsWithZ1010AndTheSeedsAdvice()
    {
        for (var n = 0; n < 10; n++)
        {
            var outcome = FaceCaptureRule.Evaluate(CaptureConditions.CameraBlocked, n, lookAlike: false);
            Assert.Equal("Z1010", outcome.Error?.Code);
        }
        Assert.Contains(FaceErrors.Z1010.Advice, a => a.Contains("其他人"));
        Assert.Contains(FaceErrors.Z1010.Advice, a => a.Contains("反光"));
        Assert.EndsWith("恢复出厂设置", FaceErrors.Z1010.Advice[^1]);
    }

    [Fact]
    public void ADirtyCameraFailsFourCapturesInFiveAndTheFifthAsksForFourDigits()
    {
        var outcomes = Enumerable.Range(0, 10).Select(n => FaceCaptureRule.Evaluate(CaptureConditions.CameraDirty, n, false)).ToList();
        Assert.Equal(8, outcomes.Count(o => o.Error == FaceErrors.Z1010));
        Assert.All(outcomes.Where(o => o.Captured), o => Assert.Equal((VerifyLevel.Last4, "摄像头脏污"), (o.Verify, o.EscalationText)));
    }

    [Fact]
    public void StrongLightOrReflectiveClothingFailEveryOtherCapture()
    {
        Assert.Equal("Z1010", FaceCaptureRule.Evaluate(CaptureConditions.StrongLight, 0, false).Error?.Code);
        Assert.Equal(VerifyLevel.Last4, FaceCaptureRule.Evaluate(CaptureConditions.StrongLight, 1, false).Verify);
        Assert.Equal("Z1010", FaceCaptureRule.Evaluate(CaptureConditions.ReflectiveClothing, 2, false).Error?.Code);
    }

    [Theory]
    [InlineData(CaptureConditions.BadAngle, false, VerifyLevel.Last4)]
    [InlineData(CaptureConditions.None, true, VerifyLevel.Full11)]
    [InlineData(CaptureConditions.BadAngle, true, VerifyLevel.Full11)]
    public void RiskRaisesTheVerificationToFourOrElevenDigits(CaptureConditions conditions, bool lookAlike, VerifyLevel expected) =>
        Assert.Equal(expected, FaceCaptureRule.Evaluate(conditions, 1, lookAlike).Verify);

    [Fact]
    public void TwoEnvironmentalRisksTogetherAskForAllElevenDigits()
    {
        var outcome = FaceCaptureRule.Evaluate(CaptureConditions.BadAngle | CaptureConditions.StrongLight, 1, false);
        Assert.Equal(VerifyLevel.Full11, outcome.Verify);
        Assert.Equal("刷脸角度不正；光线过强", outcome.EscalationText);
    }

    [Fact]
    public void QuittingTimingOutAndPhotosHaveTheirOwnCodes()
    {
        Assert.Equal("Z1008", FaceCaptureRule.Evaluate(CaptureConditions.UserQuit, 0, false).Error?.Code);
        Assert.Equal("Z1005", FaceCaptureRule.Evaluate(CaptureConditions.Timeout, 0, false).Error?.Code);
        Assert.Equal("Z1013", FaceCaptureRule.Evaluate(CaptureConditions.Spoof, 1, false).Error?.Code);
    }

    [Theory]
    [InlineData(VerifyLevel.Last4, "0001", true)]
    [InlineData(VerifyLevel.Last4, "1000", false)]
    [InlineData(VerifyLevel.Last4, "00001", false)]
    [InlineData(VerifyLevel.Full11, "17000000001", true)]
    [InlineData(VerifyLevel.Full11, "0001", false)]
    [InlineData(VerifyLevel.Full11, null, false)]
    public void OnlyTheDigitsAskedForPass(VerifyLevel level, string? digits, bool passes) =>
        Assert.Equal(passes, FaceCaptureRule.DigitsMatch(level, "17000000001", digits));

    [Fact]
    public void UnknownConditionsAreRefusedByName()
    {
        Assert.Equal(CaptureConditions.CameraBlocked | CaptureConditions.BadAngle, FaceCaptureRule.ParseConditions(["camera_blocked", "bad_angle"]));
        Assert.Contains("rain", Assert.Throws<ArgumentException>(() => FaceCaptureRule.ParseConditions(["rain"])).Message);
    }
}

public sealed class CollectPermissionTests
{
    [Fact]
    public void OnlyTheOwnerOrAnAppActingForItTakesPaymentsNoGrantCarriesIt()
    {
        Assert.True(DeviceAccessRule.Allows(1, AccountRole.Merchant, 1, GrantPermissions.None, DeviceOperation.Collect));
        Assert.False(DeviceAccessRule.Allows(2, AccountRole.ServiceProvider, 1, GrantPermissions.All, DeviceOperation.Collect));
        Assert.False(DeviceAccessRule.Allows(9, AccountRole.Operator, 1, GrantPermissions.None, DeviceOperation.Collect));
        Assert.True(DeviceAccessRule.Allows(2, AccountRole.ServiceProvider, 1, GrantPermissions.None, DeviceOperation.Collect, onBehalfOfId: 1));
        Assert.False(DeviceAccessRule.Allows(2, AccountRole.ServiceProvider, 3, GrantPermissions.None, DeviceOperation.Collect, onBehalfOfId: 1));
        Assert.False(DeviceAccessRule.Allows(2, AccountRole.ServiceProvider, null, GrantPermissions.None, DeviceOperation.Collect, onBehalfOfId: null));
    }
}
