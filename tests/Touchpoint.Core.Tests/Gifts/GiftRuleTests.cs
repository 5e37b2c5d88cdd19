using Touchpoint.Core.Gifts;

namespace Touchpoint.Core.Tests.Gifts;

public class GiftRuleTests
{
    private static readonly DateTime Noon = new(2026, 12, 24, 12, 0, 0);

    private static GiftCandidate Gift(long id, int priority = 0, long min = 0, bool first = false, DateTime? start = null, DateTime? end = null,
        int? times = null, GiftPeriod period = GiftPeriod.Ever, int? stock = null, bool covers = true) =>
        new(id, GiftKind.Coupon, priority, min, first, start, end, times, period, stock, covers);

    private static GiftContext Paying(long cents = 50_00, bool first = false, DateTime? at = null, Dictionary<long, int>? claims = null) =>
        new(cents, first, at ?? Noon, claims ?? []);

    [Fact]
    public void TheFirstEligibleGiftByPriorityIsShownAndTheOthersSayWhy()
    {
        var (chosen, skipped) = GiftRule.Choose([Gift(1, priority: 2), Gift(2, priority: 1, min: 100_00), Gift(3, priority: 1)], Paying());
        Assert.Equal(3, chosen!.GiftId);
        Assert.Equal(("支付金额低于门槛 100.00 元"), skipped.Single(s => s.GiftId == 2).Reason);
        Assert.Equal("已有优先级更高的礼品展示", skipped.Single(s => s.GiftId == 1).Reason);
    }

    [Fact]
    public void EachConditionRefusesForItsOwnReason()
    {
        Assert.Equal("该设备不在礼品的投放范围内", GiftRule.WhyNot(Gift(1, covers: false), Paying()));
        Assert.StartsWith("活动尚未开始", GiftRule.WhyNot(Gift(1, start: Noon.AddMinutes(1)), Paying()));
        Assert.StartsWith("活动已结束", GiftRule.WhyNot(Gift(1, end: Noon), Paying()));
        Assert.Null(GiftRule.WhyNot(Gift(1, start: Noon, end: Noon.AddSeconds(1)), Paying()));
        Assert.Null(GiftRule.WhyNot(Gift(1, min: 50_00), Paying(50_00)));
        Assert.NotNull(GiftRule.WhyNot(Gift(1, min: 50_01), Paying(50_00)));
        Assert.Equal("仅限会员在本商户的首笔支付", GiftRule.WhyNot(Gift(1, first: true), Paying(first: false)));
        Assert.Null(GiftRule.WhyNot(Gift(1, first: true), Paying(first: true)));
        Assert.Equal("库存已领完", GiftRule.WhyNot(Gift(1, stock: 0), Paying()));
        Assert.Null(GiftRule.WhyNot(Gift(1, stock: 1), Paying()));
    }

    [Fact]
    public void HowOftenAMemberMayGetAGiftIsCountedInItsPeriod()
    {
        var oncePerDay = Gift(7, times: 1, period: GiftPeriod.Day);
        Assert.Null(GiftRule.WhyNot(oncePerDay, Paying(claims: [])));
        Assert.Equal("该会员今日已领取 1 次，达到上限", GiftRule.WhyNot(oncePerDay, Paying(claims: new() { [7] = 1 })));
        Assert.Null(GiftRule.WhyNot(Gift(7, times: 2, period: GiftPeriod.Week), Paying(claims: new() { [7] = 1 })));
    }

    [Fact]
    public void PeriodsStartAtLocalMidnightMondayAndTheFirstOfTheMonth()
    {
        var thursday = new DateTime(2026, 12, 24, 23, 59, 0);
        Assert.Equal(new DateTime(2026, 12, 24), GiftRule.PeriodStart(GiftPeriod.Day, thursday));
        Assert.Equal(new DateTime(2026, 12, 21), GiftRule.PeriodStart(GiftPeriod.Week, thursday));
        Assert.Equal(new DateTime(2026, 12, 21), GiftRule.PeriodStart(GiftPeriod.Week, new DateTime(2026, 12, 21, 0, 0, 0)));
        Assert.Equal(new DateTime(2026, 12, 21), GiftRule.PeriodStart(GiftPeriod.Week, new DateTime(2026, 12, 27, 23, 0, 0))); // Sunday
        Assert.Equal(new DateTime(2026, 12, 1), GiftRule.PeriodStart(GiftPeriod.Month, thursday));
        Assert.Equal(DateTime.MinValue, GiftRule.PeriodStart(GiftPeriod.Ever, thursday));
    }

    [Fact]
    public void NoGiftWhenNothingQualifies()
    {
        var (chosen, skipped) = GiftRule.Choose([Gift(1, stock: 0), Gift(2, covers: false)], Paying());
        Assert.Null(chosen);
        Assert.Equal(2, skipped.Count);
    }
}
