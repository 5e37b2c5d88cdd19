using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Touchpoint.Server.Demo;
using Touchpoint.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Touchpoint.Browser.Tests.Ui;

namespace Touchpoint.Browser.Tests;

/// <summary>The member-information journey of seed 002 through the console, in Chromium.</summary>
public sealed class MemberInfoJourneys(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task MerchantAppliesForTheMobileFieldOperatorApprovesAndTheAppGatewayIsNotified()
    {
        await using var receiver = await NotificationReceiver.StartAsync();

        var page = await fx.LoginAsync(DemoAccounts.Merchant);
        await page.GotoAsync($"{fx.BaseUrl}/open/apps");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.FillAsync("[data-testid=new-app-name]", "云点点餐");
        await Button(page, "创建应用").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/open/apps/\d{16}$"));
        var appId = await page.Locator("[data-testid=app-id]").InnerTextAsync();

        // R37: no 用户信息申请 until the basic information is complete.
        await Expect(page.Locator(".ant-tabs-tab", new() { HasText = "用户信息申请" })).ToHaveCountAsync(0);
        await page.FillAsync("[data-testid=basic-name]", "云点点餐");
        await ChooseAsync(page, "请选择类目", "餐饮_餐厅");
        await page.FillAsync("[data-testid=basic-logo]", "https://example.com/yundian.png");
        await page.FillAsync("[data-testid=basic-desc]", "云点餐厅的扫码点餐与会员小程序");
        await page.FillAsync("[data-testid=basic-phone]", "0571-88880000");
        await Button(page, "保存基础信息").ClickAsync();
        await Expect(page.Locator("[data-testid=basic-info-state]")).ToHaveTextAsync("已完善");

        await page.Locator(".ant-tabs-tab", new() { HasText = "开发设置" }).ClickAsync();
        await page.FillAsync("[data-testid=gateway-url]", receiver.Url);
        await Button(page, "保存应用网关").ClickAsync();
        await Expect(page.Locator(".ant-message")).ToContainTextAsync("应用网关已保存");
        await page.CheckAsync("[data-testid=subscribe-field-changed]");
        await Button(page, "保存订阅").ClickAsync();
        await Expect(page.Locator(".ant-message")).ToContainTextAsync("订阅已保存");

        await page.Locator(".ant-tabs-tab", new() { HasText = "用户信息申请" }).ClickAsync();
        await ChooseAsync(page, "选择接口与字段", "手机号 · getPhoneNumber");
        await ChooseAsync(page, "选择场景", "会员注册与登录");
        await page.FillAsync("[data-testid=qps-answer]", "预计接口秒级调用量峰值：20 qps");
        await page.FillAsync("[data-testid=customer-answer]", "有自己的客服团队 8 人，能够及时响应并处理舆情");
        await page.Locator("[data-testid=apply-files]").SetInputFilesAsync(new FilePayload
        {
            Name = "授权流程.png", MimeType = "image/png", Buffer = TestImages.Png(),
        });
        await Button(page, "提交申请").ClickAsync();
        await Expect(page.Locator("[data-testid=application-status]")).ToHaveTextAsync("审核中");
        await BrowserFixture.ShotAsync(page, "20-merchant-member-info-applied");

        var op = await fx.LoginAsync(DemoAccounts.Operator);
        await op.GotoAsync($"{fx.BaseUrl}/ops/member-info");
        await BrowserFixture.WaitInteractiveAsync(op);
        await Rows(op).Filter(new() { HasText = appId }).Locator("[data-testid=review-link]").ClickAsync();
        await BrowserFixture.WaitInteractiveAsync(op);
        await Expect(op.Locator("[data-testid=review-media]")).ToBeVisibleAsync();
        // The operator sees the picture itself, served from the stored bytes.
        await op.WaitForFunctionAsync("() => document.querySelector('[data-testid=review-media]').naturalWidth === 64");
        await BrowserFixture.ShotAsync(op, "21-operator-reviews-application");
        await Button(op, "通过").ClickAsync();
        await Expect(op.Locator("[data-testid=review-status]")).ToHaveTextAsync("已通过");

        var notification = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal(appId, notification.Form["app_id"]);
        Assert.Contains("\"status\":\"agree\"", notification.Form["biz_content"]);

        await page.GotoAsync($"{fx.BaseUrl}/open/apps/{appId}?tab=member");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=application-status]")).ToHaveTextAsync("已通过");
        await page.GotoAsync($"{fx.BaseUrl}/open/apps/{appId}?tab=notify");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=delivery-status]")).ToHaveTextAsync("已送达");
        await BrowserFixture.ShotAsync(page, "22-merchant-sees-approval-and-delivery");
    }
}
