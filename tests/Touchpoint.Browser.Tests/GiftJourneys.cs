using System.Text.Json;
using Microsoft.Playwright;
using Touchpoint.Core.Accounts;
using Touchpoint.Device;
using Touchpoint.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Touchpoint.Browser.Tests;

/// <summary>刷脸有礼 (R22): set up in the console, shown on a live terminal's success page after a face payment, claimed once.</summary>
public sealed class GiftJourneys(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AMerchantSetsUpACouponAFacePaymentShowsItAndTheMemberGetsTheVoucherOnce()
    {
        var owner = await fx.Factory.NewAccountAsync(AccountRole.Merchant, "西湖有礼商户");
        var sn = (await fx.Factory.OnboardAsync(owner, 1))[0];
        var member = await fx.Factory.NewMemberAsync();
        using var stop = new CancellationTokenSource();
        var (agent, run) = await fx.AgentAsync(owner, sn, stop.Token);

        var page = await fx.LoginAsync(owner.Login, "Passw0rd!");
        await page.GotoAsync($"{fx.BaseUrl}/operations/gifts");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.FillAsync("[data-testid=gift-name]", "冬日满减券");
        await page.FillAsync("[data-testid=gift-amount]", "5");
        // A threshold under the voucher's amount is refused in Chinese, and nothing is created.
        await page.FillAsync("[data-testid=gift-threshold]", "3");
        await page.Locator("[data-testid=gift-save] button").ClickAsync();
        await Expect(page.Locator(".ant-message")).ToContainTextAsync("使用门槛须高于券面额");
        await Expect(page.Locator("[data-testid=gift-row]")).ToHaveCountAsync(0);
        await page.FillAsync("[data-testid=gift-threshold]", "50");
        await page.FillAsync("[data-testid=gift-stock]", "10");
        await page.FillAsync("[data-testid=gift-min-amount]", "10");
        await page.Locator("[data-testid=gift-save] button").ClickAsync();
        var row = page.Locator("[data-testid=gift-row]", new() { HasText = "冬日满减券" });
        await Expect(row).ToContainTextAsync("满50.00减5.00元券");
        await Expect(row).ToContainTextAsync("支付满 10.00 元");

        // At the terminal: a face payment of 18 yuan; the success page recommends the voucher; the member taps 领取.
        await agent.StartCashierAsync("18.00", PaymentScenario.NewOrderNo(), "热饮");
        await agent.WaitForScreenAsync(s => s.Screen == "face", TimeSpan.FromSeconds(10));
        await fx.Factory.FaceAsync(sn, member.UserId);
        var success = await agent.WaitForScreenAsync(s => s.Screen == "success" && s.Gift is not null, TimeSpan.FromSeconds(10));
        Assert.Equal(("coupon", "满50.00减5.00元券"), (success.Gift!.Kind, success.Gift.Title));
        await agent.ClaimGiftAsync();
        var claimed = await agent.WaitForScreenAsync(s => s.Gift?.Claimed == true, TimeSpan.FromSeconds(10));
        var again = await fx.Factory.RuntimeAsync($"/terminals/{sn}/claim", new { impression_id = success.Gift.ImpressionId });
        Assert.Equal(claimed.Gift!.CouponNo, again.S("coupon_no"));
        using (var http = fx.Factory.CreateClient())
        {
            var bag = JsonDocument.Parse(await http.GetStringAsync($"/runtime/members/{member.UserId}/coupons")).RootElement.GetProperty("coupons");
            Assert.Equal(1, bag.GetArrayLength());
            Assert.Equal(claimed.Gift.CouponNo, bag[0].GetProperty("coupon_no").GetString());
        }

        // The console counts one impression, one claim, nine left.
        await page.ReloadAsync();
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(row.Locator("[data-testid=gift-impressions]")).ToHaveTextAsync("1");
        await Expect(row.Locator("[data-testid=gift-claims]")).ToHaveTextAsync("1");
        await Expect(row.Locator("[data-testid=gift-stock-left]")).ToHaveTextAsync("9");
        await BrowserFixture.ShotAsync(page, "90-gifts-claimed");
        await stop.CancelAsync();
        await run;
    }
}
