using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Apps;
using Touchpoint.Server.Members;
using Touchpoint.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Touchpoint.Browser.Tests.Ui;

namespace Touchpoint.Browser.Tests;

/// <summary>Seed 003 through 小程序预览 in Chromium, with samples/MerchantBackend as the merchant's back end.</summary>
public sealed class PhoneNumberJourneys(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    private static readonly Touchpoint.Core.Members.Member Zhang = SimulatedMembers.All[0];

    [Fact]
    public async Task ConsumerConsentsAndTheSampleBackEndShowsTheNumberOrRefusesAndSeesTheSeedsError()
    {
        var merchant = await fx.Factory.NewAccountAsync(AccountRole.Merchant);
        var app = await merchant.NewMiniProgramAsync();
        var platform = await fx.Factory.PlatformAsync();
        using var backend = new WebApplicationFactory<MerchantBackend.Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("PlatformPublicKey", platform.PlatformPublicKey);
            b.UseSetting("AesKey", app.AesKey);
        });
        backend.UseKestrel(0);
        backend.StartServer();
        var backendUrl = backend.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        await MakePhoneReadyAsync(app, $"{backendUrl}/alipay/gateway");

        var page = await fx.LoginAsync(merchant.Login, "Passw0rd!");
        await page.GotoAsync($"{fx.BaseUrl}/open/apps/{app.AppId}");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.ClickAsync("[data-testid=preview-link]");
        await page.WaitForURLAsync($"{fx.BaseUrl}/open/apps/{app.AppId}/preview");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.FillAsync("[data-testid=backend-url]", $"{backendUrl}/api/phone-number");
        await Button(page, "保存").ClickAsync();
        await Expect(page.Locator(".ant-message")).ToContainTextAsync("后端服务地址已保存");

        // 拒绝: the onError event of seed 003.
        await page.ClickAsync("[data-testid=get-phone]");
        await Expect(page.Locator("[data-testid=consent-sheet]")).ToContainTextAsync(SimulatedMembers.MaskMobile(Zhang.Mobile));
        await page.ClickAsync("[data-testid=consent-deny]");
        await Expect(page.Locator("[data-testid=on-error]")).ToContainTextAsync("\"errorMessage\": \"用户取消授权\"");
        await Expect(page.Locator("[data-testid=on-error]")).ToContainTextAsync("\"type\": \"getAuthorize\"");

        // 允许: the payload goes to the back end, which verifies, decrypts and answers with the number.
        await page.ClickAsync("[data-testid=get-phone]");
        await page.ClickAsync("[data-testid=consent-allow]");
        await Expect(page.Locator("[data-testid=phone-success]")).ToContainTextAsync("\\\"sign\\\"");
        await Expect(page.Locator("[data-testid=backend-answer]")).ToContainTextAsync("HTTP 200");
        await Expect(page.Locator("[data-testid=backend-answer]")).ToContainTextAsync(Zhang.Mobile);
        await BrowserFixture.ShotAsync(page, "30-preview-phone-number-consent");

        var sample = await page.Context.NewPageAsync();
        await sample.GotoAsync(backendUrl + "/");
        await Expect(sample.Locator("[data-testid=mobile]").First).ToContainTextAsync(Zhang.Mobile);
        await BrowserFixture.ShotAsync(sample, "31-sample-backend-shows-number");
    }

    [Fact]
    public async Task WithoutApprovalIt40006AndWithoutAesKeyThePayloadHasNoSign()
    {
        var merchant = await fx.Factory.NewAccountAsync(AccountRole.Merchant);
        var notApproved = await fx.Factory.NewPhoneReadyAppAsync(merchant, approve: false);
        var page = await fx.LoginAsync(merchant.Login, "Passw0rd!");
        await page.GotoAsync($"{fx.BaseUrl}/open/apps/{notApproved.AppId}/preview");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.ClickAsync("[data-testid=get-phone]");
        await page.ClickAsync("[data-testid=consent-allow]");
        var fail = page.Locator("[data-testid=phone-fail]");
        await Expect(fail).ToContainTextAsync("\"code\": \"40006\"");
        await Expect(fail).ToContainTextAsync("\"msg\": \"Insufficient Permissions\"");
        await Expect(fail).ToContainTextAsync("\"subCode\": \"isv.insufficient-isv-permissions\"");
        await Expect(fail).ToContainTextAsync("尚未审核通过");

        // An app whose AES key was never generated: the approved phone number comes back without a sign.
        var created = await merchant.Client.PostAsync<AppView>("/api/open/apps", new NewApp("无密钥小程序", AppKind.MiniProgram));
        (await merchant.Client.PutAsJsonAsync($"/api/open/apps/{created.AppId}/basic-info",
            new BasicInfoChange("无密钥小程序", "C01_C0101", "https://example.com/logo.png", "没有配置 AES 密钥的小程序", "0571-88880000"), ApiClient.Json)).EnsureSuccessStatusCode();
        await merchant.Client.PostAsync<JsonElement>($"/api/open/apps/{created.AppId}/key-pair", new { });
        await merchant.Client.PostAsync<AppView>($"/api/open/apps/{created.AppId}/packages", new PackageCode(MemberFieldCatalogue.MobilePackage));
        await fx.Factory.ApproveAsync(new TestApp(created.AppId, "", null, merchant), OpenPlatformScenario.MobileApplication());

        await page.GotoAsync($"{fx.BaseUrl}/open/apps/{created.AppId}/preview");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.ClickAsync("[data-testid=get-phone]");
        await page.ClickAsync("[data-testid=consent-allow]");
        await Expect(page.Locator("[data-testid=phone-success]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=phone-success]")).Not.ToContainTextAsync("sign");
        await Expect(page.Locator("[data-testid=phone-warning]")).ToContainTextAsync("没有 sign");
        await BrowserFixture.ShotAsync(page, "32-preview-without-aes-key");
    }

    private async Task MakePhoneReadyAsync(TestApp app, string gateway)
    {
        (await app.Owner.Client.PutAsJsonAsync($"/api/open/apps/{app.AppId}/gateway", new UrlText(gateway))).EnsureSuccessStatusCode();
        await app.Owner.Client.PostAsync<AppView>($"/api/open/apps/{app.AppId}/packages", new PackageCode(MemberFieldCatalogue.MobilePackage));
        await fx.Factory.ApproveAsync(app, OpenPlatformScenario.MobileApplication());
    }
}
