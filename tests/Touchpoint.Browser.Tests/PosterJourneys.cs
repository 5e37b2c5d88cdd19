using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Core.Accounts;
using Touchpoint.Device;
using Touchpoint.Server.DeviceChannel;
using Touchpoint.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Touchpoint.Browser.Tests;

/// <summary>电子海报 in the console and on a clerk's phone, with a live agent whose reports say what its screen shows (R17–R20).</summary>
public sealed class PosterJourneys(BrowserFixture fx) : IClassFixture<BrowserFixture>
{
    private Task<(DeviceAgent Agent, Task Run)> AgentAsync(TestAccount owner, string sn, CancellationToken stop) => fx.AgentAsync(owner, sn, stop);

    private static async Task UploadAsync(IPage page, string name, int tint)
    {
        await page.FillAsync("[data-testid=poster-name]", name);
        await page.Locator("[data-testid=poster-file]").SetInputFilesAsync(new FilePayload { Name = $"{name}.png", MimeType = "image/png", Buffer = TestImages.Png(400, tint) });
        await Expect(page.Locator("[data-testid=poster-card]").Filter(new() { HasText = name })).ToHaveCountAsync(1);
    }

    /// <summary>The address of the QR code the device's screen shows, and a phone-sized page to open it in.</summary>
    private async Task<(string Url, IPage Phone)> ClerkPhoneAsync(DeviceAgent agent)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (agent.ClerkUrl is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the device never showed the clerk's QR code");
            await Task.Delay(100);
        }
        var context = await fx.Browser.NewContextAsync(new() { Locale = "zh-CN", ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });
        return (agent.ClerkUrl, await context.NewPageAsync());
    }

    private static async Task PickAsync(IPage page, string name) =>
        await page.Locator("[data-testid=poster-card]").Filter(new() { HasText = name }).Locator("[data-testid=poster-pick]").ClickAsync();

    [Fact]
    public async Task TheOwnerTurnsOnAdminModePlacesThreePostersThatRotateOnTheLiveScreenAndAFourthIsRefusedNamingTheHolders()
    {
        var owner = await fx.Factory.NewAccountAsync(AccountRole.Merchant, "湖滨海报商户");
        var sn = (await fx.Factory.OnboardAsync(owner, 1))[0];
        using var stop = new CancellationTokenSource();
        var (agent, run) = await AgentAsync(owner, sn, stop.Token);

        var page = await fx.LoginAsync(owner.Login, "Passw0rd!");
        await page.GotoAsync($"{fx.BaseUrl}/operations/posters");
        await BrowserFixture.WaitInteractiveAsync(page);
        for (var i = 1; i <= 4; i++)
        {
            await UploadAsync(page, $"冬季海报{i}", i);
        }
        await page.FillAsync("[data-testid=placement-sns]", sn);

        // Before admin mode the console is refused, saying why.
        await PickAsync(page, "冬季海报1");
        await page.Locator("[data-testid=placement-check] button").ClickAsync();
        await Expect(page.Locator("[data-testid=placement-result]")).ToContainTextAsync("未开启管理员模式");
        await page.Locator("[data-testid=admin-listed-on] button").ClickAsync();
        await Expect(page.Locator(".ant-message")).ToContainTextAsync("已开启 1 台设备的管理员模式");

        for (var i = 1; i <= 3; i++)
        {
            await PickAsync(page, $"冬季海报{i}");
            await page.FillAsync("[data-testid=placement-order]", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.Locator("[data-testid=placement-check] button").ClickAsync();
            await Expect(page.Locator("[data-testid=placement-result]")).ToContainTextAsync("可以投放到 1 台设备");
            await page.Locator("[data-testid=placement-confirm] button").ClickAsync();
            await Expect(page.Locator("[data-testid=poster-card]").Filter(new() { HasText = $"冬季海报{i}" })).ToContainTextAsync("投放中 1 台");
        }

        // A fourth does not fit: refused before confirming, naming the holders and who placed them.
        await PickAsync(page, "冬季海报4");
        await page.Locator("[data-testid=placement-check] button").ClickAsync();
        var conflicts = page.Locator("[data-testid=placement-conflicts]");
        await Expect(conflicts).ToContainTextAsync(sn);
        await Expect(conflicts).ToContainTextAsync("「冬季海报1」湖滨海报商户（控制台投放）");
        await Expect(conflicts).ToContainTextAsync("冬季海报3");
        await Expect(page.Locator("[data-testid=placement-confirm] button")).ToBeDisabledAsync();
        await BrowserFixture.ShotAsync(page, "80-posters-fourth-refused");

        // The live agent rotates the three ten seconds apart, by its own reports.
        var since = DateTimeOffset.UtcNow.AddSeconds(2);
        var deadline = DateTime.UtcNow.AddSeconds(50);
        while (agent.AirLog.Count(e => e.At > since && e.PosterId is not null) < 4)
        {
            Assert.True(DateTime.UtcNow < deadline, "the agent did not rotate the posters");
            await Task.Delay(200);
        }
        var log = agent.AirLog.Where(e => e.At > since && e.PosterId is not null).ToList();
        // Each change falls in the next ten-second step (how late in it the timer wakes is the machine's load).
        var slots = log.Select(e => e.At.ToUnixTimeMilliseconds() / 10_000).ToList();
        Assert.All(slots.Zip(slots.Skip(1), (a, b) => b - a), step => Assert.Equal(1, step));
        Assert.Equal(3, log.Take(3).Select(e => e.PosterId).Distinct().Count());

        // 设备详情 > 屏幕 shows the poster on air as the device reports it, matching the platform's intent.
        await page.GotoAsync($"{fx.BaseUrl}/devices/detail/{sn}");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=screen-reported]")).ToContainTextAsync("冬季海报");
        await Expect(page.Locator("[data-testid=screen-differences]")).ToContainTextAsync("一致");
        await Expect(page.Locator("[data-testid=screen-placements] tbody tr")).ToHaveCountAsync(3);
        await BrowserFixture.ShotAsync(page, "81-device-screen");

        // The troubleshooting tool names who placed a poster, how and how to reach them.
        await page.GotoAsync($"{fx.BaseUrl}/tools/posters?sn={sn}");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=poster-tool-placer]")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-testid=poster-tool-placer]").First).ToContainTextAsync("湖滨海报商户");
        await Expect(page.Locator("[data-testid=poster-tool-history]")).ToContainTextAsync("控制台投放");
        await Expect(page.Locator("[data-testid=poster-tool-placement]").First).ToContainTextAsync("139****1234");
        await BrowserFixture.ShotAsync(page, "82-poster-troubleshooting");
        stop.Cancel();
        await run;
    }

    [Fact]
    public async Task AClerksPhonePagePlacesAPosterBeforeAdminModeAndIsRefusedAfter()
    {
        var owner = await fx.Factory.NewAccountAsync(AccountRole.Merchant, "断桥便利店");
        var sn = (await fx.Factory.OnboardAsync(owner, 1))[0];
        using var stop = new CancellationTokenSource();
        var (agent, run) = await AgentAsync(owner, sn, stop.Token);
        // The QR code's address, opened on a phone.
        var (clerkUrl, phone) = await ClerkPhoneAsync(agent);
        await phone.GotoAsync(clerkUrl);
        await BrowserFixture.WaitInteractiveAsync(phone);
        await Expect(phone.Locator(".tp-clerk")).ToContainTextAsync("断桥便利店");
        await phone.FillAsync("[data-testid=clerk-name]", "今日鲜奶");
        await phone.FillAsync("[data-testid=clerk-person]", "小周");
        await phone.FillAsync("[data-testid=clerk-phone]", "13566667777");
        await phone.Locator("[data-testid=clerk-file]").SetInputFilesAsync(new FilePayload { Name = "milk.png", MimeType = "image/png", Buffer = TestImages.Png(360, 2) });
        await phone.Locator("[data-testid=clerk-submit]").ClickAsync();
        await Expect(phone.Locator("[data-testid=clerk-done]")).ToContainTextAsync("已投放「今日鲜奶」");
        await BrowserFixture.ShotAsync(phone, "83-clerk-phone-placed");

        // The owner sees it on air, placed by the clerk; turns admin mode on.
        var page = await fx.LoginAsync(owner.Login, "Passw0rd!");
        await page.GotoAsync($"{fx.BaseUrl}/devices/detail/{sn}");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=screen-reported]")).ToContainTextAsync("今日鲜奶");
        await Expect(page.Locator("[data-testid=screen-placements]")).ToContainTextAsync("店员 小周");
        await Expect(page.Locator("[data-testid=screen-qr]")).ToBeVisibleAsync();
        await page.Locator("[data-testid=admin-mode-on] button").ClickAsync();
        await Expect(page.Locator("[data-testid=screen-mode]")).ToContainTextAsync("管理员模式");
        await Expect(page.Locator("[data-testid=screen-qr]")).ToHaveCountAsync(0);

        // The clerk's page now says why it cannot place.
        await phone.GotoAsync(clerkUrl);
        await BrowserFixture.WaitInteractiveAsync(phone);
        await Expect(phone.Locator("[data-testid=clerk-error]")).ToContainTextAsync("已开启管理员模式");
        await BrowserFixture.ShotAsync(phone, "84-clerk-phone-refused");
        stop.Cancel();
        await run;
    }

    [Fact]
    public async Task TheOwnerMakesAClerkAccountTheClerkSignsInOnThePhonePicksFromTheLibraryAndIsSignedOutWhenDisabled()
    {
        var owner = await fx.Factory.NewAccountAsync(AccountRole.Merchant, "白堤便利店");
        var sn = (await fx.Factory.OnboardAsync(owner, 1))[0];
        await owner.NewPosterAsync("店长推荐");
        using var stop = new CancellationTokenSource();
        var (agent, run) = await AgentAsync(owner, sn, stop.Token);
        var mobile = "137" + Random.Shared.NextInt64(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

        // 设备运营 > 店员账号: a bad number is refused in Chinese, then the clerk is made.
        var page = await fx.LoginAsync(owner.Login, "Passw0rd!");
        await page.GotoAsync($"{fx.BaseUrl}/operations/clerks");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.FillAsync("[data-testid=clerk-new-name]", "小李");
        await page.FillAsync("[data-testid=clerk-new-phone]", "12345");
        await page.FillAsync("[data-testid=clerk-new-password]", "Clerk#2026");
        await page.Locator("[data-testid=clerk-create] button").ClickAsync();
        await Expect(page.Locator(".ant-message")).ToContainTextAsync("11 位手机号");
        await page.FillAsync("[data-testid=clerk-new-phone]", mobile);
        await page.Locator("[data-testid=clerk-create] button").ClickAsync();
        await Expect(page.Locator("[data-testid=clerk-row]")).ToContainTextAsync(mobile);
        await BrowserFixture.ShotAsync(page, "85-clerk-account-made");

        // The QR code's address on the clerk's phone: sign in, pick from the merchant's library, place.
        var (clerkUrl, phone) = await ClerkPhoneAsync(agent);
        await phone.GotoAsync(clerkUrl);
        await BrowserFixture.WaitInteractiveAsync(phone);
        await phone.Locator("[data-testid=clerk-login] summary").ClickAsync();
        await phone.FillAsync("[data-testid=clerk-login-phone]", mobile);
        await phone.FillAsync("[data-testid=clerk-login-password]", "Clerk#2026");
        await phone.Locator("[data-testid=clerk-login-submit]").ClickAsync();
        await Expect(phone.Locator("[data-testid=clerk-signed-in]")).ToContainTextAsync("店员 小李 已登录");
        await phone.Locator("[data-testid=clerk-library-item]", new() { HasText = "店长推荐" }).Locator("input").CheckAsync();
        await phone.Locator("[data-testid=clerk-submit]").ClickAsync();
        await Expect(phone.Locator("[data-testid=clerk-done]")).ToContainTextAsync("已投放「店长推荐」");
        await Expect(phone.Locator("[data-testid=clerk-again]")).ToBeVisibleAsync();
        await BrowserFixture.ShotAsync(phone, "86-clerk-account-placed");
        // The phone keeps the session: opened again, the clerk is still signed in.
        await phone.GotoAsync(clerkUrl);
        await BrowserFixture.WaitInteractiveAsync(phone);
        await Expect(phone.Locator("[data-testid=clerk-signed-in]")).ToBeVisibleAsync();

        // The owner sees it on air, placed by the account; disabling the clerk signs the phone out.
        await page.GotoAsync($"{fx.BaseUrl}/devices/detail/{sn}");
        await BrowserFixture.WaitInteractiveAsync(page);
        await Expect(page.Locator("[data-testid=screen-reported]")).ToContainTextAsync("店长推荐");
        await Expect(page.Locator("[data-testid=screen-placements]")).ToContainTextAsync("店员 小李（店员账号）");
        await page.GotoAsync($"{fx.BaseUrl}/operations/clerks");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=clerk-toggle]").ClickAsync();
        await Expect(page.Locator("[data-testid=clerk-state]")).ToHaveTextAsync("已停用");
        await phone.GotoAsync($"{fx.BaseUrl}/clerk/{sn}");
        await BrowserFixture.WaitInteractiveAsync(phone);
        await Expect(phone.Locator("[data-testid=clerk-login-error]")).ToContainTextAsync("登录已失效");
        await Expect(phone.Locator("[data-testid=clerk-signed-in]")).ToHaveCountAsync(0);
        await BrowserFixture.ShotAsync(phone, "87-clerk-account-disabled");
        stop.Cancel();
        await run;
    }

    [Fact]
    public async Task TheOperatorRunsACentralPosterTheMerchantCannotTakeItDownAndSeesTheWithdrawalReason()
    {
        var owner = await fx.Factory.NewAccountAsync(AccountRole.Merchant, "孤山茶馆");
        var sn = (await fx.Factory.OnboardAsync(owner, 1))[0];
        var model = "活动机型-" + Guid.NewGuid().ToString("N")[..6];
        await using (var db = await fx.Factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync())
        {
            await db.Devices.Where(d => d.Sn == sn).ExecuteUpdateAsync(u => u.SetProperty(d => d.Model, model));
        }

        var op = await fx.LoginAsync("admin");
        await op.GotoAsync($"{fx.BaseUrl}/operations/posters");
        await BrowserFixture.WaitInteractiveAsync(op);
        await UploadAsync(op, "平台新年海报", 3);
        await PickAsync(op, "平台新年海报");
        await op.FillAsync("[data-testid=campaign-name]", "新年活动");
        await op.FillAsync("[data-testid=campaign-model]", model);
        await op.Locator("[data-testid=campaign-start] button").ClickAsync();
        await Expect(op.Locator("[data-testid=campaigns]")).ToContainTextAsync("新年活动");
        await Expect(op.Locator(".ant-message")).ToContainTextAsync("已投放到 1 台设备");

        var page = await fx.LoginAsync(owner.Login, "Passw0rd!");
        await page.GotoAsync($"{fx.BaseUrl}/devices/detail/{sn}");
        await BrowserFixture.WaitInteractiveAsync(page);
        var row = page.Locator("[data-testid=screen-placements] tbody tr").Filter(new() { HasText = "平台新年海报" });
        await Expect(row).ToContainTextAsync("平台投放，不能撤下");
        await Expect(row.Locator("[data-testid=placement-remove]")).ToHaveCountAsync(0);

        // Withdrawal needs a reason; the merchant then sees it.
        await op.Locator("[data-testid=campaign-withdraw] button").First.ClickAsync();
        await Expect(op.Locator(".ant-message")).ToContainTextAsync("请填写撤回原因");
        await op.FillAsync("[data-testid=campaign-reason]", "图片授权到期，平台统一撤回");
        await op.Locator("[data-testid=campaign-withdraw] button").First.ClickAsync();
        await Expect(op.Locator("[data-testid=campaigns]")).ToContainTextAsync("已撤回：图片授权到期");
        await Expect(page.Locator("[data-testid=screen-withdrawn]")).ToContainTextAsync("原因：图片授权到期，平台统一撤回");
        await Expect(page.Locator("[data-testid=screen-placements] tbody tr")).ToHaveCountAsync(0);
        await BrowserFixture.ShotAsync(page, "85-central-poster-withdrawn");
    }
}
