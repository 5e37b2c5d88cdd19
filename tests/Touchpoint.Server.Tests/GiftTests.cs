using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Gifts;
using Touchpoint.Core.Grants;
using Touchpoint.Device;
using Touchpoint.Server.Gifts;
using Touchpoint.Server.Grants;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>刷脸有礼 (R22) on SQLite and PostgreSQL: chosen by the rules after a face payment at a live terminal, claimed once.</summary>
public abstract class GiftTests(TouchpointFactory factory)
{
    private static GiftEdit Coupon(string name, int? stock = null, string? minAmount = null, int? times = 1, int priority = 10) =>
        new(name, GiftKind.Coupon, "5.00", "50.00", 30, stock, MinAmount: minAmount, TimesPerMember: times, Priority: priority);

    /// <summary>A face payment at the agent's terminal by the member; returns the success page it shows.</summary>
    private async Task<Core.DeviceChannel.ScreenMessage> PayByFaceAsync(DeviceAgent agent, string userId, string amount)
    {
        await agent.StartCashierAsync(amount, PaymentScenario.NewOrderNo(), "门店消费");
        await agent.WaitForScreenAsync(s => s.Screen == "face", TimeSpan.FromSeconds(10));
        var step = await factory.FaceAsync(agent.Sn, userId);
        Assert.Equal("success", step.S("screen"));
        return await agent.WaitForScreenAsync(s => s.Screen == "success" && s.TradeNo == step.S("tradeNo"), TimeSpan.FromSeconds(10));
    }

    private async Task<List<JsonElement>> CouponsAsync(string userId)
    {
        using var http = factory.CreateClient();
        var body = JsonDocument.Parse(await http.GetStringAsync($"/runtime/members/{userId}/coupons")).RootElement;
        return body.GetProperty("coupons").EnumerateArray().Select(c => c.Clone()).ToList();
    }

    [Fact]
    public async Task TheSuccessPageShowsTheGiftTheRulesPickAndEachClaimIssuesOneVoucherWithinStockAndAllowance()
    {
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant, "杭州有礼商户");
        var sns = await factory.OnboardAsync(merchant, 1);
        var miniApp = await merchant.NewMiniProgramAsync();
        using var stop = new CancellationTokenSource();
        var (agents, runs) = await factory.StartAgentsAsync(merchant, sns, stop.Token);
        var agent = agents[0];
        var coupon = await merchant.Client.PostAsync<GiftView>("/api/gifts", Coupon("双十二满减", stock: 2, minAmount: "10.00"));
        var mini = await merchant.Client.PostAsync<GiftView>("/api/gifts", new GiftEdit("会员小程序", GiftKind.MiniProgram, MiniAppId: miniApp.AppId,
            MiniAppPage: "pages/member/index", Priority: 20));
        var (a, b, c) = (await factory.NewMemberAsync(), await factory.NewMemberAsync(), await factory.NewMemberAsync());

        // Below the coupon's minimum the next gift by priority shows.
        var small = await PayByFaceAsync(agent, a.UserId, "8.00");
        Assert.Equal(("mini_program", miniApp.AppId), (small.Gift?.Kind, small.Gift?.MiniAppId));

        var shown = await PayByFaceAsync(agent, a.UserId, "12.50");
        Assert.Equal(("coupon", "满50.00减5.00元券", false), (shown.Gift!.Kind, shown.Gift.Title, shown.Gift.Claimed));
        await agent.ClaimGiftAsync();
        var claimed = await agent.WaitForScreenAsync(s => s.Gift?.Claimed == true, TimeSpan.FromSeconds(10));
        Assert.Contains("领取成功", claimed.Gift!.Message);
        // A second tap on the same page answers the same voucher; the card bag holds one.
        var again = await factory.RuntimeAsync($"/terminals/{agent.Sn}/claim", new { impression_id = shown.Gift.ImpressionId });
        Assert.Equal(claimed.Gift.CouponNo, again.S("coupon_no"));
        var bag = Assert.Single(await CouponsAsync(a.UserId));
        Assert.Equal((claimed.Gift.CouponNo, "满50.00减5.00元券", "杭州有礼商户"), (bag.S("coupon_no"), bag.S("title"), bag.S("merchant")));

        // Once per member: the same member's next payment gets the mini-program instead.
        Assert.Equal("mini_program", (await PayByFaceAsync(agent, a.UserId, "30.00")).Gift?.Kind);
        // Stock 2: the second member takes the last voucher, the third is offered the next gift.
        var second = await PayByFaceAsync(agent, b.UserId, "20.00");
        Assert.Equal("coupon", second.Gift?.Kind);
        Assert.False(string.IsNullOrEmpty((await factory.RuntimeAsync($"/terminals/{agent.Sn}/claim", new { })).S("coupon_no")));
        Assert.Equal("mini_program", (await PayByFaceAsync(agent, c.UserId, "20.00")).Gift?.Kind);

        var list = await merchant.Client.GetAsync<List<GiftView>>("/api/gifts");
        var stats = list.Single(g => g.Id == coupon.Id);
        Assert.Equal((2, 2, 0), (stats.Impressions, stats.Claims, stats.StockLeft));
        Assert.Equal(3, list.Single(g => g.Id == mini.Id).Impressions);

        // Stopped: no page shows it any more; the vouchers issued stay valid.
        await merchant.Client.PostAsync<GiftView>($"/api/gifts/{mini.Id}/stop", new { });
        Assert.Null((await PayByFaceAsync(agent, c.UserId, "20.00")).Gift);
        Assert.Single(await CouponsAsync(a.UserId));
        await stop.CancelAsync();
        await Task.WhenAll(runs);
    }

    /// <summary>Impressions of the gift for these members at a fresh device of the merchant (as success pages would have shown them).</summary>
    private async Task<(string Sn, List<long> Impressions)> ImpressionsAsync(TestAccount merchant, GiftView gift, IReadOnlyList<string> userIds)
    {
        var sn = (await factory.OnboardAsync(merchant, 1))[0];
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync();
        var device = await db.Devices.Where(d => d.Sn == sn).Select(d => d.Id).SingleAsync();
        var rows = new List<GiftImpression>();
        foreach (var userId in userIds)
        {
            var member = await db.Members.Where(m => m.UserId == userId).Select(m => m.Id).SingleAsync();
            rows.Add(new GiftImpression { GiftId = gift.Id, TradeId = 0, DeviceId = device, MemberId = member, AtUtc = DateTime.UtcNow });
        }
        db.GiftImpressions.AddRange(rows);
        await db.SaveChangesAsync();
        return (sn, rows.Select(r => r.Id).ToList());
    }

    /// <summary>Every claim at once, each on its own thread behind one barrier: what is refused says why; the rest answer a voucher number.</summary>
    private async Task<List<string?>> ClaimAllAtOnceAsync(string sn, IReadOnlyList<long> impressions)
    {
        var selection = factory.Services.GetRequiredService<GiftSelection>();
        using var barrier = new Barrier(impressions.Count);
        var claims = impressions.Select(id => Task.Run(async () =>
        {
            barrier.SignalAndWait(TimeSpan.FromSeconds(30));
            try
            {
                return (await selection.ClaimAsync(sn, id, default)).CouponNo;
            }
            catch (Core.Common.TouchpointException e)
            {
                Assert.True(e.Message.Contains("已领完") || e.Message.Contains("达到上限"), e.Message);
                return null;
            }
        })).ToList();
        return (await Task.WhenAll(claims)).ToList();
    }

    private async Task<int> IssuedAsync(long giftId)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync();
        var coupons = await db.MemberCoupons.CountAsync(c => c.GiftId == giftId);
        Assert.Equal(coupons, await db.Gifts.Where(g => g.Id == giftId).Select(g => g.Issued).SingleAsync());
        return coupons;
    }

    [Fact]
    public async Task ParallelClaimsNeverIssueMoreThanTheStockAndTwoTapsOnOnePageGetTheSameVoucher()
    {
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant);
        var gift = await merchant.Client.PostAsync<GiftView>("/api/gifts", Coupon("限量一张", stock: 1, times: null));
        var members = new List<string>();
        foreach (var _ in Enumerable.Range(0, 4))
        {
            members.Add((await factory.NewMemberAsync()).UserId);
        }
        var (sn, impressions) = await ImpressionsAsync(merchant, gift, members);
        // Each of four pages tapped twice at once, one voucher in stock: both taps on the winning page get it.
        var outcomes = await ClaimAllAtOnceAsync(sn, impressions.Concat(impressions).ToList());
        var issued = outcomes.OfType<string>().Distinct().ToList();
        Assert.Single(issued);
        Assert.Equal(2, outcomes.Count(o => o == issued[0]));
        Assert.Equal(1, await IssuedAsync(gift.Id));
    }

    [Fact]
    public async Task ParallelClaimsOfOneMemberNeverPassTheAllowance()
    {
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant);
        var gift = await merchant.Client.PostAsync<GiftView>("/api/gifts", Coupon("每人一张", stock: null, times: 1));
        var member = (await factory.NewMemberAsync()).UserId;
        // Six success pages shown to the same member, all claimed at once.
        var (sn, impressions) = await ImpressionsAsync(merchant, gift, Enumerable.Repeat(member, 6).ToList());
        var outcomes = await ClaimAllAtOnceAsync(sn, impressions);
        Assert.Single(outcomes.OfType<string>());
        Assert.Equal(1, await IssuedAsync(gift.Id));
        Assert.Single(await CouponsAsync(member));
    }

    [Fact]
    public async Task BadTermsAndForeignDevicesAreRefusedInChineseAndAProviderSetsUpGiftsOnlyOnDevicesGrantedWithPosters()
    {
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant, "有礼授权商户");
        var sns = await factory.OnboardAsync(merchant, 2);
        var sp = await factory.NewAccountAsync(AccountRole.ServiceProvider, "有礼服务商");
        var other = await factory.NewAccountAsync(AccountRole.Merchant);
        await merchant.Client.PostAsync<GrantSummary>("/api/grants", new NewGrant(null, sp.Login, [sns[0]], GrantPermissions.Poster));
        await merchant.Client.PostAsync<GrantSummary>("/api/grants", new NewGrant(null, sp.Login, [sns[1]], GrantPermissions.Broadcast));

        async Task<string> Refused(HttpClient client, GiftEdit edit, HttpStatusCode status) =>
            await (await client.PostAsync("/api/gifts", System.Net.Http.Json.JsonContent.Create(edit, options: ApiClient.Json))).ProblemAsync(status);
        Assert.Equal("请填写礼品名称", await Refused(merchant.Client, Coupon(" "), HttpStatusCode.BadRequest));
        Assert.Contains("使用门槛须高于券面额", await Refused(merchant.Client, Coupon("门槛") with { CouponThreshold = "3.00" }, HttpStatusCode.BadRequest));
        Assert.Contains("最多两位小数", await Refused(merchant.Client, Coupon("面额") with { CouponAmount = "5.001" }, HttpStatusCode.BadRequest));
        Assert.Contains("有效期须在 1–365 天", await Refused(merchant.Client, Coupon("有效期") with { CouponValidDays = 0 }, HttpStatusCode.BadRequest));
        Assert.Contains("结束时间须晚于开始时间", await Refused(merchant.Client, Coupon("时段") with { Starts = new DateTime(2026, 12, 12), Ends = new DateTime(2026, 12, 1) }, HttpStatusCode.BadRequest));
        Assert.Contains("不在商户或您的“我的应用”中", await Refused(merchant.Client, new GiftEdit("别人的小程序", GiftKind.MiniProgram, MiniAppId: "2021999999999999"), HttpStatusCode.BadRequest));
        Assert.Contains("没有“海报投放”权限", await Refused(merchant.Client, Coupon("别家设备") with { Scope = GiftScope.Picked, Sns = [(await factory.OnboardAsync(other, 1))[0]] }, HttpStatusCode.Forbidden));

        // The provider: picked devices it holds 海报投放 on, and the gift is the merchant's.
        Assert.Contains("指定设备", await Refused(sp.Client, Coupon("全部设备"), HttpStatusCode.Forbidden));
        Assert.Contains(sns[1], await Refused(sp.Client, Coupon("只有播报") with { Scope = GiftScope.Picked, Sns = [sns[1]] }, HttpStatusCode.Forbidden));
        var made = await sp.Client.PostAsync<GiftView>("/api/gifts", Coupon("服务商代设") with { Scope = GiftScope.Picked, Sns = [sns[0]] });
        Assert.Equal(("有礼服务商", sns[0]), (made.CreatedBy, Assert.Single(made.Sns)));
        var seen = Assert.Single(await merchant.Client.GetAsync<List<GiftView>>("/api/gifts"), g => g.Id == made.Id);
        Assert.True(seen.Mine);
        Assert.DoesNotContain(await other.Client.GetAsync<List<GiftView>>("/api/gifts"), g => g.Id == made.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.PostAsync($"/api/gifts/{made.Id}/stop", null)).StatusCode);
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync())
        {
            Assert.Equal(merchant.Id, await db.Gifts.Where(g => g.Id == made.Id).Select(g => g.OwnerId).SingleAsync());
        }
        await merchant.Client.PostAsync<GiftView>($"/api/gifts/{made.Id}/stop", new { });
        Assert.Contains("已停用", await (await sp.Client.PostAsync($"/api/gifts/{made.Id}/stop", null)).ProblemAsync(HttpStatusCode.Conflict));
    }
}

public sealed class SqliteGiftTests(SqliteFactory f) : GiftTests(f), IClassFixture<SqliteFactory>;
public sealed class PostgresGiftTests(PostgresFactory f) : GiftTests(f), IClassFixture<PostgresFactory>;
