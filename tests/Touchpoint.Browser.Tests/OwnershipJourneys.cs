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

/// <summary>Ownership (R2, R3), owner lookup (R5) and account journeys through the console, in Chromium.</summary>
public sealed class OwnershipJourneys(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task OperatorIssuesAnEntryManufacturerUploadsCsvAndTheOwnerAuthorizes()
    {
        var owner = await fx.Factory.NewAccountAsync(AccountRole.Merchant, "宁波海曙测试餐饮有限公司");

        var op = await fx.LoginAsync(DemoAccounts.Operator);
        await op.GotoAsync($"{fx.BaseUrl}/ownership/onboarding");
        await BrowserFixture.WaitInteractiveAsync(op);
        await ChooseAsync(op, "选择厂商", "深圳蜻蜓智能科技有限公司");
        await ChooseAsync(op, "选择商家或服务商", owner.Name);
        await Button(op, "发放入口").ClickAsync();
        var entryRow = Rows(op).Filter(new() { HasText = owner.Name });
        await Expect(entryRow).ToHaveCountAsync(1);
        var entryId = Regex.Match(await entryRow.InnerTextAsync(), @"#(\d+)").Groups[1].Value;

        var (good1, good2) = (Scenario.NewSn("CSV"), Scenario.NewSn("CSV"));
        var maker = await fx.LoginAsync(DemoAccounts.Manufacturer);
        await maker.GotoAsync($"{fx.BaseUrl}/ownership/onboarding");
        await BrowserFixture.WaitInteractiveAsync(maker);
        await Rows(maker).Filter(new() { HasText = $"#{entryId}" }).Locator("button").ClickAsync();
        var csv = $"SN,设备类型,型号,安卓版本\n{good1},刷脸设备,蜻蜓 F4,11\nbad!,碰一下,,\n{good2},碰一下,碰一下 N1,9\n";
        await maker.Locator("input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "batch.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv),
        });
        await Expect(maker.Locator(".ant-alert")).ToContainTextAsync("成功 2 台，拒绝 1 台");
        await Expect(maker.Locator(".tp-result-bad")).ToContainTextAsync("SN 格式不正确");
        await BrowserFixture.ShotAsync(maker, "10-manufacturer-csv-results");

        var page = await fx.LoginAsync(owner.Login, "Passw0rd!");
        await page.GotoAsync($"{fx.BaseUrl}/ownership/onboarding");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Rows(page).Filter(new() { HasText = $"#{entryId}" }).Locator("button").ClickAsync();
        await Expect(Rows(page).Filter(new() { HasText = "待授权" })).ToHaveCountAsync(2);
        await Button(page, "全部授权（成为设备所有者）").ClickAsync();
        await Expect(page.Locator(".ant-message")).ToContainTextAsync("已授权 2 台设备");
        await Expect(Rows(page).Filter(new() { HasText = "已授权" })).ToHaveCountAsync(2);

        await page.GotoAsync($"{fx.BaseUrl}/devices");
        await BrowserFixture.WaitInteractiveAsync(page);
        Assert.Equal(new[] { good1, good2 }.Order(), (await page.Locator("a[data-testid=device-sn]").AllTextContentsAsync()).Order());
        await BrowserFixture.ShotAsync(page, "11-owner-devices-after-onboarding");
    }

    [Fact]
    public async Task MerchantOrdersOperatorShipsFromStockAndTheMerchantConfirmsReceipt()
    {
        var buyer = await fx.Factory.NewAccountAsync(AccountRole.Merchant, "温州测试零售有限公司");
        var opApi = await fx.Factory.OperatorAsync();
        await opApi.PostAsync<object>("/api/purchase/entries", new { merchantId = buyer.Id, note = "门店设备申购" });

        var page = await fx.LoginAsync(buyer.Login, "Passw0rd!");
        await page.GotoAsync($"{fx.BaseUrl}/ownership/purchase");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Button(page, "提交申购").ClickAsync(); // defaults: the only entry, 碰一下 × 1
        await Expect(Rows(page).Filter(new() { HasText = "待发货" })).ToHaveCountAsync(1);

        var op = await fx.LoginAsync(DemoAccounts.Operator);
        await op.GotoAsync($"{fx.BaseUrl}/ownership/purchase");
        await BrowserFixture.WaitInteractiveAsync(op);
        await Rows(op).Filter(new() { HasText = buyer.Name }).Locator("button", new() { HasTextRegex = new Regex(@"发\s*货") }).ClickAsync();
        var modal = op.Locator(".ant-modal:visible");
        var sn = (await modal.Locator("textarea").InputValueAsync()).Trim();
        Assert.Matches("^PY", sn); // a 碰一下 from stock was filled in
        await modal.Locator("button", new() { HasText = "确认发货" }).ClickAsync();
        await Expect(Rows(op).Filter(new() { HasText = buyer.Name })).ToContainTextAsync("已发货");

        await page.ReloadAsync();
        await BrowserFixture.WaitInteractiveAsync(page);
        await Button(page, "确认收货").ClickAsync();
        await ConfirmPopoverAsync(page);
        await Expect(Rows(page).Filter(new() { HasText = sn })).ToContainTextAsync("已收货");
        await BrowserFixture.ShotAsync(page, "12-merchant-purchase-received");

        var mine = await buyer.Client.GetAsync<DevicePage>("/api/devices");
        Assert.Equal([sn], mine.Items.Select(i => i.Sn));
    }

    [Fact]
    public async Task AnyoneWithAnSnLearnsWhetherItIsBoundAndSeesOnlyAMaskedOwner()
    {
        var api = await fx.Factory.LoginAsync(DemoAccounts.Merchant);
        var sn = (await api.GetAsync<DevicePage>("/api/devices?pageSize=1")).Items[0].Sn;
        var page = await fx.LoginAsync(DemoAccounts.Manufacturer);
        await page.GotoAsync($"{fx.BaseUrl}/tools/owner-lookup");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.GetByPlaceholder("设备SN").FillAsync(sn.ToLowerInvariant());
        await Button(page, "查询").ClickAsync();
        await Expect(page.Locator("[data-testid=lookup-result]")).ToContainTextAsync("已绑定：杭*科技有限公司");
        await Expect(page.Locator("[data-testid=lookup-result]")).Not.ToContainTextAsync("云点");
        await page.GetByPlaceholder("设备SN").FillAsync("bad");
        await Button(page, "查询").ClickAsync();
        await Expect(page.Locator(".ant-message")).ToContainTextAsync("SN 格式不正确");
        await BrowserFixture.ShotAsync(page, "13-owner-lookup");
    }

    [Fact]
    public async Task OperatorCreatesAMerchantWhoCanThenLogIn()
    {
        var login = $"m{Guid.NewGuid():N}"[..12];
        var op = await fx.LoginAsync(DemoAccounts.Operator);
        await op.GotoAsync($"{fx.BaseUrl}/ops/accounts");
        await BrowserFixture.WaitInteractiveAsync(op);
        var form = op.Locator(".ant-card", new() { HasText = "创建账号" });
        await form.Locator("label", new() { HasText = "登录名" }).Locator("input").FillAsync(login);
        await form.Locator("label", new() { HasText = "名称" }).Locator("input").FillAsync("丽水测试茶饮店");
        await form.Locator("label", new() { HasText = "初始密码" }).Locator("input").FillAsync("short");
        await Button(op, "创建").ClickAsync();
        await Expect(op.Locator(".ant-message")).ToContainTextAsync("密码至少 8 位");
        await form.Locator("label", new() { HasText = "初始密码" }).Locator("input").FillAsync("Passw0rd!");
        await Button(op, "创建").ClickAsync();
        await Expect(Rows(op).Filter(new() { HasText = login })).ToContainTextAsync("商家");

        var merchant = await fx.LoginAsync(login, "Passw0rd!");
        await Expect(merchant.Locator("[data-testid=current-user]")).ToHaveTextAsync("丽水测试茶饮店");
    }
}
