using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Touchpoint.Core.Accounts;
using Touchpoint.Server.Demo;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Touchpoint.Browser.Tests.Ui;

namespace Touchpoint.Browser.Tests;

/// <summary>User journeys through the console in Chromium, against the real host.</summary>
public sealed class ConsoleJourneys(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task MerchantFiltersDevicesAndTheExportedCsvHoldsExactlyThoseRows()
    {
        var api = await fx.Factory.LoginAsync(DemoAccounts.Merchant);
        var expected = (await api.GetAsync<DevicePage>("/api/devices?type=FacePay&pageSize=100")).Items.Select(i => i.Sn).Order().ToList();
        Assert.NotEmpty(expected);

        var page = await fx.LoginAsync(DemoAccounts.Merchant);
        await page.GotoAsync($"{fx.BaseUrl}/devices");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(Rows(page)).ToHaveCountAsync(20); // first page of 24
        await Expect(page.Locator(".ant-breadcrumb")).ToContainTextAsync("运营中心");

        await page.Locator(".ant-select", new() { HasText = "设备类型" }).ClickAsync();
        await page.Locator(".ant-select-item-option", new() { HasText = "刷脸设备" }).ClickAsync();
        await Button(page, "查询").ClickAsync();
        await Expect(Rows(page)).ToHaveCountAsync(expected.Count);
        var shown = await page.Locator("a[data-testid=device-sn]").AllTextContentsAsync();
        Assert.Equal(expected, shown.Order());
        await BrowserFixture.ShotAsync(page, "01-merchant-device-list-filtered");

        var download = await page.RunAndWaitForDownloadAsync(() => Button(page, "导出 CSV").ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("设备SN,设备类型", lines[0]);
        Assert.Equal(expected, lines.Skip(1).Select(l => l.Split(',')[0]).Order());
        Assert.All(lines.Skip(1), l => Assert.Equal("刷脸设备", l.Split(',')[1]));

        // An export of nothing is refused with a message, and no file is produced.
        await page.GetByPlaceholder("设备SN").FillAsync("NOTHING-MATCHES");
        await Button(page, "导出 Excel").ClickAsync();
        await Expect(page.Locator(".ant-message")).ToContainTextAsync("当前筛选条件下没有设备，无需导出");
    }

    [Fact]
    public async Task MerchantGrantsTwoDevicesForAppDistributionAndTheProviderSeesExactlyThose()
    {
        var provider = await fx.Factory.NewAccountAsync(AccountRole.ServiceProvider, "杭州测试代运营服务有限公司");
        var api = await fx.Factory.LoginAsync(DemoAccounts.Merchant);
        var bySn = (await api.GetAsync<DevicePage>("/api/devices?sort=Sn&desc=false&pageSize=20")).Items.Select(i => i.Sn).ToList();
        var (first, second, third) = (bySn[0], bySn[1], bySn[2]);

        var page = await fx.LoginAsync(DemoAccounts.Merchant);
        await page.GotoAsync($"{fx.BaseUrl}/devices/grants");
        await BrowserFixture.WaitInteractiveAsync(page);
        await ClickToAsync(page, Button(page, "发起授权"), $"{fx.BaseUrl}/devices/grants/new");
        await BrowserFixture.WaitInteractiveAsync(page);

        await page.GetByPlaceholder("输入对方登录名或账号ID").FillAsync(provider.Login);
        await Button(page, "查找").ClickAsync();
        // The picker confirms the counterpart with a masked name only (杭*代运营服务有限公司).
        await Expect(page.Locator("[data-testid=grantee-chosen]")).ToHaveTextAsync(Touchpoint.Core.Ownership.OwnerNameMask.Mask(provider.Name));
        await Expect(Rows(page).First).ToContainTextAsync(first);
        foreach (var sn in new[] { first, second })
        {
            await Rows(page).Filter(new() { HasText = sn }).Locator("input.ant-checkbox-input").CheckAsync();
        }
        await page.Locator("label.ant-checkbox-wrapper", new() { HasText = "应用分发" }).ClickAsync();
        await BrowserFixture.ShotAsync(page, "02-merchant-start-grant");
        await Button(page, "确认授权").ClickAsync();

        await page.WaitForURLAsync($"{fx.BaseUrl}/devices/grants");
        var grantRow = Rows(page).Filter(new() { HasText = provider.Name });
        await Expect(grantRow).ToContainTextAsync("应用分发");
        await Expect(grantRow).ToContainTextAsync("2 台");
        await Expect(grantRow).ToContainTextAsync("生效中");
        await BrowserFixture.ShotAsync(page, "03-merchant-grants");

        var sp = await fx.LoginAsync(provider.Login, "Passw0rd!");
        await sp.GotoAsync($"{fx.BaseUrl}/devices/granted");
        await BrowserFixture.WaitInteractiveAsync(sp);
        await Expect(Rows(sp)).ToHaveCountAsync(2);
        Assert.Equal(new[] { first, second }.Order(), (await sp.Locator("a[data-testid=device-sn]").AllTextContentsAsync()).Order());
        await Expect(sp.Locator(".ant-breadcrumb")).ToContainTextAsync("服务商运营");
        await BrowserFixture.ShotAsync(sp, "04-provider-granted-devices");

        await sp.GotoAsync($"{fx.BaseUrl}/devices/detail/{first}");
        await Expect(sp.Locator("[data-testid=my-permissions]")).ToHaveTextAsync("应用分发");

        await sp.GotoAsync($"{fx.BaseUrl}/devices/detail/{third}");
        await Expect(sp.Locator(".ant-result")).ToContainTextAsync("无权访问");
        await Expect(sp.Locator(".ant-result")).ToContainTextAsync($"您无权查看设备 {third}");
        await BrowserFixture.ShotAsync(sp, "05-provider-denied-third-device");
    }

    [Fact]
    public async Task WrongPasswordShowsAChineseMessageOnTheLoginPage()
    {
        var context = await fx.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{fx.BaseUrl}/devices");
        await page.WaitForURLAsync(new Regex("/login"));
        await page.FillAsync("input[name=loginName]", DemoAccounts.Merchant);
        await page.FillAsync("input[name=password]", "not-the-password");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator(".ant-alert-error")).ToHaveTextAsync("账号或密码错误");
        await BrowserFixture.ShotAsync(page, "00-login-error");
    }
}
