using System.Text.Json;
using Microsoft.Playwright;
using Touchpoint.Core.Accounts;
using Touchpoint.Device;
using Touchpoint.Server.DeviceChannel;
using Touchpoint.Server.Payments;
using Touchpoint.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Touchpoint.Browser.Tests.Ui;

namespace Touchpoint.Browser.Tests;

/// <summary>Face pay at live terminals in the console: 交易管理 and refunds, a dirty camera flagged (R12), the diagnostics tool (R23).</summary>
public sealed class PaymentJourneys(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    private Task<(DeviceAgent Agent, Task Run)> AgentAsync(TestAccount owner, string sn, CancellationToken stop) => fx.AgentAsync(owner, sn, stop);

    [Fact]
    public async Task AMerchantWatchesAFacePaymentAtALiveTerminalAppearInTradesAndRefundsIt()
    {
        var owner = await fx.Factory.NewAccountAsync(AccountRole.Merchant);
        var sn = (await fx.Factory.OnboardAsync(owner, 1))[0];
        var member = await fx.Factory.NewMemberAsync();
        using var stop = new CancellationTokenSource();
        var (agent, run) = await AgentAsync(owner, sn, stop.Token);

        var page = await fx.LoginAsync(owner.Login, "Passw0rd!");
        await page.GotoAsync($"{fx.BaseUrl}/trades");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=trade-row]")).ToHaveCountAsync(0);

        // At the terminal: the cashier asks for 36.80, the member looks at the camera, the terminal announces it.
        var order = PaymentScenario.NewOrderNo();
        await agent.StartCashierAsync("36.80", order, "午餐套餐");
        await agent.WaitForScreenAsync(s => s.Screen == "face", TimeSpan.FromSeconds(10));
        await fx.Factory.FaceAsync(sn, member.UserId);
        var success = await agent.WaitForScreenAsync(s => s.Screen == "success", TimeSpan.FromSeconds(10));
        Assert.Equal("支付宝到账 36.8 元", success.Broadcast);

        // The open page shows it without a reload: the trade, today's takings, the payment method.
        var row = page.Locator("[data-testid=trade-row]", new() { HasText = order });
        await Expect(row).ToContainTextAsync("36.80");
        await Expect(row).ToContainTextAsync("刷脸");
        await Expect(row.Locator("[data-testid=trade-status]")).ToHaveTextAsync("支付成功");
        await Expect(page.Locator("[data-testid=takings]")).ToHaveTextAsync("36.80");
        await BrowserFixture.ShotAsync(page, "70-trades-face-payment");

        await row.Locator("[data-testid=trade-open]").ClickAsync();
        await Expect(page.Locator("[data-testid=detail-status]")).ToHaveTextAsync("支付成功");
        await page.Locator("[data-testid=refund-amount]").FillAsync("6.80");
        await page.Locator("[data-testid=refund-reason]").FillAsync("少一份饮料");
        await page.Locator("[data-testid=refund-submit] button").ClickAsync();
        await Expect(page.Locator("[data-testid=detail-status]")).ToHaveTextAsync("部分退款");
        await Expect(page.Locator("[data-testid=refund-row]")).ToContainTextAsync("少一份饮料");
        await Expect(page.Locator("[data-testid=takings]")).ToHaveTextAsync("30.00");
        await BrowserFixture.ShotAsync(page, "71-trade-refunded");

        // A wrong amount is refused with its reason, and nothing changes.
        await page.Locator("[data-testid=refund-amount]").FillAsync("99.00");
        await page.Locator("[data-testid=refund-submit] button").ClickAsync();
        await Expect(page.Locator(".ant-message")).ToContainTextAsync("超过可退金额");
        await Expect(page.Locator("[data-testid=detail-refunded]")).ToHaveTextAsync("6.80 元");
        stop.Cancel();
        await run;
    }

    [Fact]
    public async Task ATerminalWithADirtyCameraShowsZ1010AndIsFlaggedAgainstTheFleet()
    {
        var owner = await fx.Factory.NewAccountAsync(AccountRole.Merchant);
        var sn = (await fx.Factory.OnboardAsync(owner, 1))[0];
        var member = await fx.Factory.NewMemberAsync();
        using var stop = new CancellationTokenSource();
        var (agent, run) = await AgentAsync(owner, sn, stop.Token);

        var page = await fx.LoginAsync(owner.Login, "Passw0rd!");
        await page.GotoAsync($"{fx.BaseUrl}/devices/detail/{sn}");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=camera-dirty]").CheckAsync();
        await Expect(page.Locator(".ant-message")).ToContainTextAsync("已开启模拟摄像头脏污");
        await page.Locator("[data-testid=cashier-member]").SelectOptionAsync(Touchpoint.Server.Members.SimulatedMembers.All[0].UserId); // merchants pick among the sandbox accounts
        for (var i = 0; i < 4; i++)
        {
            await page.Locator("[data-testid=cashier-pay] button").ClickAsync();
            await Expect(page.Locator("[data-testid=face-capture-row]")).ToHaveCountAsync(i + 1);
        }
        await Expect(page.Locator("[data-testid=screen-code]")).ToHaveTextAsync("Z1010");
        await Expect(page.Locator("[data-testid=terminal-screen]")).ToContainTextAsync("摄像头是否被遮挡或有脏污");
        // The terminal itself shows the code and the advice.
        var shown = await agent.WaitForScreenAsync(s => s.Code == "Z1010", TimeSpan.FromSeconds(10));
        Assert.Contains(shown.Advice!, a => a.Contains("恢复出厂设置"));

        // The fifth capture gets through the dirt but is asked for the last 4 digits; now the terminal stands out.
        await page.Locator("[data-testid=cashier-pay] button").ClickAsync();
        await Expect(page.Locator("[data-testid=screen-title]")).ToHaveTextAsync("安全验证");
        await Expect(page.Locator("[data-testid=face-flag]")).ToContainTextAsync("明显高于其他机具");
        await Expect(page.Locator("[data-testid=face-flag]")).ToContainTextAsync("请其他人试一下");
        await BrowserFixture.ShotAsync(page, "72-device-dirty-camera-flagged");
        stop.Cancel();
        await run;
    }

    [Fact]
    public async Task TheDiagnosticsToolExplainsWhyAMemberCannotPayByFace()
    {
        var owner = await fx.Factory.NewAccountAsync(AccountRole.Merchant);
        var sn = (await fx.Factory.OnboardAsync(owner, 1))[0];
        var member = await fx.Factory.NewMemberAsync(facePay: false);
        await fx.Factory.StartCashierAsync(sn, "5.00");
        var step = await fx.Factory.FaceAsync(sn, member.UserId);
        Assert.Equal("ACQ.USER_FACE_PAYMENT_SWITCH_OFF", step.S("code"));
        var op = await fx.Factory.OperatorAsync();
        var mobile = (await op.GetAsync<List<MemberView>>("/api/members")).Single(m => m.UserId == member.UserId).Mobile;

        var page = await fx.LoginAsync(owner.Login, "Passw0rd!");
        await page.GotoAsync($"{fx.BaseUrl}/tools/face");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=diag-query]").FillAsync(mobile);
        await page.Locator("[data-testid=diag-submit] button").ClickAsync();
        await Expect(page.Locator("[data-testid=diag-switch]")).ToHaveTextAsync("未开通（已关闭）");
        await Expect(page.Locator("[data-testid=diag-status]")).ToHaveTextAsync("正常");
        await Expect(page.Locator("[data-testid=diag-findings]")).ToContainTextAsync("刷脸支付未开通");
        await Expect(page.Locator("body")).Not.ToContainTextAsync(mobile);
        await BrowserFixture.ShotAsync(page, "73-face-diagnosis");

        // A number that is not a phone number gets a clear Chinese message.
        await page.Locator("[data-testid=diag-query]").FillAsync("123");
        await page.Locator("[data-testid=diag-submit] button").ClickAsync();
        await Expect(page.Locator(".ant-message")).ToContainTextAsync("格式不正确");
    }

    [Fact]
    public async Task TheOwnerTurnsATerminalsAnnouncementOffInItsDetailsAndThePaymentIsSilent()
    {
        var owner = await fx.Factory.NewAccountAsync(AccountRole.Merchant);
        var sn = (await fx.Factory.OnboardAsync(owner, 1))[0];
        var member = await fx.Factory.NewMemberAsync();
        using var stop = new CancellationTokenSource();
        var (agent, run) = await AgentAsync(owner, sn, stop.Token);

        var page = await fx.LoginAsync(owner.Login, "Passw0rd!");
        await page.GotoAsync($"{fx.BaseUrl}/devices/detail/{sn}");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=announcement-state]")).ToHaveTextAsync("当前：开启，音量 70");

        // Too loud is refused with its reason and nothing changes; then off.
        await page.Locator("[data-testid=announcement-volume]").FillAsync("120");
        await page.Locator("[data-testid=announcement-save] button").ClickAsync();
        await Expect(page.Locator(".ant-message")).ToContainTextAsync("音量必须在 0 到 100 之间");
        await Expect(page.Locator("[data-testid=announcement-state]")).ToHaveTextAsync("当前：开启，音量 70");
        await page.Locator("[data-testid=announcement-volume]").FillAsync("70");
        await page.Locator("[data-testid=announcement-enabled]").UncheckAsync();
        await page.Locator("[data-testid=announcement-save] button").ClickAsync();
        await Expect(page.Locator("[data-testid=announcement-state]")).ToHaveTextAsync("当前：关闭");
        await BrowserFixture.ShotAsync(page, "74-announcement-off");

        await agent.StartCashierAsync("8.00", PaymentScenario.NewOrderNo(), "静音收款");
        await agent.WaitForScreenAsync(s => s.Screen == "face", TimeSpan.FromSeconds(10));
        await fx.Factory.FaceAsync(sn, member.UserId);
        var success = await agent.WaitForScreenAsync(s => s.Screen == "success", TimeSpan.FromSeconds(10));
        Assert.Null(success.Broadcast);
        Assert.Empty(agent.Announcements);
        stop.Cancel();
        await run;
    }
}
