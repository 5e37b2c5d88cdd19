using Microsoft.Playwright;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Distribution;
using Touchpoint.Device;
using Touchpoint.Server.DeviceChannel;
using Touchpoint.Server.Distribution;
using Touchpoint.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Touchpoint.Browser.Tests.Ui;

namespace Touchpoint.Browser.Tests;

/// <summary>The seed's distribution flow (R9) in the console, on live agents, and the troubleshooting tool (R10).</summary>
public sealed class DistributionJourneys(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task OwnerFindsAnAppByIdFavoritesItDistributesItToLiveTerminalsAndTroubleshootsTheOneThatFailed()
    {
        // A provider publishes a real signed APK and opens the app; a merchant has three terminals with agents (one of them
        // fails every install) and a scan box without the IoT SDK.
        var provider = await fx.Factory.NewAccountAsync(AccountRole.ServiceProvider);
        var app = await provider.NewAppAsync(name: "码上通点餐");
        var package = "com.touchpoint.journey" + Guid.NewGuid().ToString("N")[..6];
        await provider.PublishApkAsync(app.AppId, package, 10, "1.0.0");
        await provider.PublishApkAsync(app.AppId, package, 20, "2.0.0");
        await provider.Client.PostAsync<CatalogueAppView>($"/api/distribution/apps/{app.AppId}/open", new OpenRequest(true));

        var owner = await fx.Factory.NewAccountAsync(AccountRole.Merchant);
        var terminals = await fx.Factory.OnboardAsync(owner, 3);
        var scanBox = (await fx.Factory.OnboardAsync(owner, 1, "扫码盒子"))[0];
        using var stop = new CancellationTokenSource();
        var runs = new List<Task>();
        foreach (var (sn, index) in terminals.Select((sn, i) => (sn, i)))
        {
            var credential = await owner.Client.PostAsync<IssuedCredential>($"/api/devices/{sn}/credential", new { });
            var agent = new DeviceAgent(new AgentIdentity(sn, credential.PrivateKeyPem), new AgentOptions
            {
                Host = "127.0.0.1", Port = fx.Factory.MqttPort, Heartbeat = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(2),
                FailInstallRate = index == 2 ? 1 : 0, InstallDelay = TimeSpan.FromMilliseconds(50),
                DownloadFolder = Path.Combine(fx.Factory.Folder, "journey-downloads"),
            });
            runs.Add(agent.RunAsync(stop.Token));
        }
        foreach (var sn in terminals)
        {
            await owner.WaitOnlineAsync(sn);
        }

        var page = await fx.LoginAsync(owner.Login, "Passw0rd!");
        await page.GotoAsync($"{fx.BaseUrl}/distribution/apps");
        await BrowserFixture.WaitInteractiveAsync(page);
        // First time: search the open app by its ID, keep it as a favorite.
        await page.Locator("[data-testid=search-app-id]").FillAsync(app.AppId);
        await Button(page, "搜索").ClickAsync();
        await Expect(page.Locator("[data-testid=search-result]")).ToContainTextAsync("码上通点餐");
        await page.Locator("[data-testid=search-result] button", new() { HasText = "收藏" }).ClickAsync();
        await Expect(page.Locator("[data-testid=search-result] button")).ToContainTextAsync("取消收藏");
        await Expect(page.Locator("[data-testid=catalogue-app]", new() { HasText = "码上通点餐" })).ToBeVisibleAsync();
        await BrowserFixture.ShotAsync(page, "60-distribution-app-found-and-favorited");

        // 创建分发任务: the favorite is offered first; the latest version is chosen.
        await page.GotoAsync($"{fx.BaseUrl}/distribution/tasks/new");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=app] option").Nth(1)).ToContainTextAsync("★ 码上通点餐");
        await page.Locator("[data-testid=app]").SelectOptionAsync(app.AppId);
        await Expect(page.Locator("[data-testid=version]")).ToHaveValueAsync("20");
        await Button(page, "下一步").ClickAsync();

        // 选择设备: every device with its verdict; the scan box cannot take it and says why.
        await Expect(page.Locator($"[data-testid=picker-row][data-sn={scanBox}] [data-testid=verdict]")).ToContainTextAsync("设备未集成 IoT SDK");
        foreach (var sn in terminals)
        {
            await Expect(page.Locator($"[data-testid=picker-row][data-sn={sn}] [data-testid=verdict]")).ToHaveTextAsync("可执行");
            await page.Locator($"[data-testid=picker-row][data-sn={sn}] input[type=checkbox]").CheckAsync();
        }
        await Expect(page.Locator("[data-testid=selected-count]")).ToContainTextAsync("已选 3 台");
        // The scan box comes in through the CSV box as well: the confirm page says it will be skipped, and why.
        await page.Locator("[data-testid=csv-sns]").FillAsync($"sn\n{scanBox}");
        await BrowserFixture.ShotAsync(page, "61-distribution-device-picker");
        await Button(page, "下一步").ClickAsync();

        await Expect(page.Locator("[data-testid=confirm-devices]")).ToHaveTextAsync("4 台");
        await Expect(page.Locator("[data-testid=confirm-eligible]")).ToHaveTextAsync("3 台");
        await Expect(page.Locator("[data-testid=confirm-skipped]")).ToHaveTextAsync("1 台");
        await Expect(page.Locator("[data-testid=confirm-targets]")).ToContainTextAsync("跳过：设备未集成 IoT SDK");
        await BrowserFixture.ShotAsync(page, "62-distribution-confirm");
        await Button(page, "开始执行").ClickAsync();

        // 执行详情 follows the live agents to the end: two succeed, one fails with its reason.
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/distribution/tasks/\\d+$"));
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=count-succeeded]")).ToHaveTextAsync("成功 2", new() { Timeout = 60_000 });
        await Expect(page.Locator("[data-testid=count-failed]")).ToHaveTextAsync("失败 1", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=task-status]")).ToHaveTextAsync("已完成", new() { Timeout = 30_000 });
        await Expect(page.Locator($"[data-testid=target-row][data-sn={terminals[0]}] [data-testid=target-state]")).ToHaveTextAsync("成功");
        await Expect(page.Locator($"[data-testid=target-row][data-sn={terminals[2]}]")).ToContainTextAsync("安装失败");
        await BrowserFixture.ShotAsync(page, "63-distribution-details");

        // The device detail shows the new version, from the device's own report.
        await page.GotoAsync($"{fx.BaseUrl}/devices/detail/{terminals[0]}");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.Locator("body")).ToContainTextAsync("2.0.0");

        // IoT应用分发排查: the failed device, the task, its steps and what to do next.
        await page.GotoAsync($"{fx.BaseUrl}/tools/distribution");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=ts-sn]").FillAsync(terminals[2]);
        await page.Locator("[data-testid=ts-app]").FillAsync(app.AppId);
        await Button(page, "查询").ClickAsync();
        await Expect(page.Locator("[data-testid=ts-summary]")).ToContainTextAsync("最近一次分发失败：安装失败");
        await Expect(page.Locator("[data-testid=ts-task]")).ToContainTextAsync("建议");
        await Expect(page.Locator("[data-testid=ts-current]")).ToHaveTextAsync("未安装");
        await BrowserFixture.ShotAsync(page, "64-distribution-troubleshoot");
        stop.Cancel();
        await Task.WhenAll(runs);
    }

    [Fact]
    public async Task OwnerRestartsAFleetChosenByFilter()
    {
        var owner = await fx.Factory.NewAccountAsync(AccountRole.Merchant);
        await fx.Factory.OnboardAsync(owner, 2, "收银机");
        await fx.Factory.OnboardAsync(owner, 1);
        var page = await fx.LoginAsync(owner.Login, "Passw0rd!");
        await page.GotoAsync($"{fx.BaseUrl}/distribution/tasks/new");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=action]").SelectOptionAsync("Restart");
        await Button(page, "下一步").ClickAsync();
        await Expect(page.Locator("[data-testid=picker-row]")).ToHaveCountAsync(3);
        await page.Locator("[data-testid=picker-type]").SelectOptionAsync("CashRegister");
        await Button(page, "筛选").ClickAsync();
        await Expect(page.Locator("[data-testid=picker-row]")).ToHaveCountAsync(2);
        await page.Locator("[data-testid=by-filter]").CheckAsync();
        await Button(page, "下一步").ClickAsync();
        await Expect(page.Locator("[data-testid=confirm-devices]")).ToHaveTextAsync("2 台");
        await Expect(page.Locator("[data-testid=confirm-eligible]")).ToHaveTextAsync("2 台");
        await Button(page, "开始执行").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/distribution/tasks/\\d+$"));
        await BrowserFixture.WaitInteractiveAsync(page);
        // Nobody is online: both wait, and the task says what it is doing.
        await Expect(page.Locator("[data-testid=task-status]")).ToHaveTextAsync("执行中");
        await Expect(page.Locator("[data-testid=count-pending]")).ToHaveTextAsync("待执行 2");
    }
}
