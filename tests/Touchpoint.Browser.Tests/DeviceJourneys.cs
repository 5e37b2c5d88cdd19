using Microsoft.Playwright;
using Touchpoint.Device;
using Touchpoint.Server.Tests.Infrastructure;
using Touchpoint.Server.DeviceChannel;
using static Microsoft.Playwright.Assertions;
using static Touchpoint.Browser.Tests.Ui;

namespace Touchpoint.Browser.Tests;

/// <summary>Live devices in the console: a real agent over MQTT, the page following it without reloads.</summary>
public sealed class DeviceJourneys(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task OwnerRestartsADeviceAndWatchesItGoOfflineAndComeBackWithANewBootTime()
    {
        var owner = await fx.Factory.NewAccountAsync(Touchpoint.Core.Accounts.AccountRole.Merchant);
        var sn = (await fx.Factory.OnboardAsync(owner, 1))[0];
        var credential = await owner.Client.PostAsync<IssuedCredential>($"/api/devices/{sn}/credential", new { });
        using var stop = new CancellationTokenSource();
        await using var agent = new DeviceAgent(new AgentIdentity(sn, credential.PrivateKeyPem), new AgentOptions
        {
            Host = "127.0.0.1", Port = fx.Factory.MqttPort, Heartbeat = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(2),
            RebootDelay = TimeSpan.FromSeconds(2),
        });

        var page = await fx.LoginAsync(owner.Login, "Passw0rd!");
        await page.GotoAsync($"{fx.BaseUrl}/devices/detail/{sn}");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=online-state]")).ToContainTextAsync("离线");

        var run = agent.RunAsync(stop.Token); // the device comes online while the page is open
        await Expect(page.Locator("[data-testid=online-state]")).ToContainTextAsync("在线", new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-testid=last-boot]")).Not.ToBeEmptyAsync(new() { Timeout = 20_000 });
        var bootBefore = await page.Locator("[data-testid=last-boot]").InnerTextAsync();

        await ConfirmAsync(page, "重启");
        await Expect(page.Locator("[data-testid=command-status]").First).ToHaveTextAsync("执行成功", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=last-boot]")).Not.ToHaveTextAsync(bootBefore, new() { Timeout = 20_000 });
        await Expect(page.Locator("[data-testid=online-state]")).ToContainTextAsync("在线");
        await BrowserFixture.ShotAsync(page, "40-device-restarted-live");

        await page.GotoAsync($"{fx.BaseUrl}/devices");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.Locator("input[placeholder='设备SN']").FillAsync(sn);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("[data-testid=row-online]")).ToContainTextAsync("在线");
        stop.Cancel();
        await run;
        await Expect(page.Locator("[data-testid=row-online]")).ToContainTextAsync("离线", new() { Timeout = 20_000 });
    }

    /// <summary>Clicks a button guarded by a Popconfirm and its OK; a live re-render while the popover fades in can swallow
    /// the first click, so it tries again until the command shows up.</summary>
    private static async Task ConfirmAsync(IPage page, string label)
    {
        for (var attempt = 0; ; attempt++)
        {
            await Button(page, label).First.ClickAsync();
            var ok = page.Locator(".ant-popover:not(.ant-popover-hidden) .ant-popover-buttons .ant-btn-primary");
            await Expect(ok).ToBeVisibleAsync();
            await ok.ClickAsync();
            try
            {
                await Expect(page.Locator("[data-testid=command-status]")).Not.ToHaveCountAsync(0, new() { Timeout = 5_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 2)
            {
            }
        }
    }
}
