using Microsoft.Playwright;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Browser.Tests;

/// <summary>
/// The real host on a loopback port (Kestrel, fresh SQLite with demo data) and Debian's Chromium driven by
/// Playwright. Playwright's own browser download is never used.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public SqliteFactory Factory { get; } = new();
    public IBrowser Browser { get; private set; } = default!;
    public string BaseUrl { get; private set; } = "";
    private IPlaywright? _playwright;

    public static string ScreenshotDir { get; } = Directory.CreateDirectory(
        Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        Factory.UseKestrel(0);
        Factory.StartServer();
        BaseUrl = Factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        // Expectations wait longer than Playwright's 5 s: CI runs on two busy cores.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>A fresh browser context, signed in through the real login form.</summary>
    public async Task<IPage> LoginAsync(string login, string password = ApiClient.DemoPassword)
    {
        var context = await Browser.NewContextAsync(new() { Locale = "zh-CN", AcceptDownloads = true, ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync($"{BaseUrl}/login");
        await page.FillAsync("input[name=loginName]", login);
        await page.FillAsync("input[name=password]", password);
        await page.ClickAsync("button[type=submit]");
        // The form posts and redirects home, or back to the login page with its error; a loaded machine can take long
        // over the first home page, so the wait is generous and a refusal fails at once with the page's own words.
        await page.WaitForURLAsync(url => url == $"{BaseUrl}/" || url.Contains("/login?"), new() { Timeout = 90_000 });
        if (page.Url.Contains("/login?"))
        {
            var alerts = await page.Locator("[role=alert]").AllInnerTextsAsync();
            throw new InvalidOperationException($"login as {login} was refused: {page.Url} {string.Join(" ", alerts)}");
        }
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>A live agent for one of the owner's devices (its key issued by the owner), online before this returns.</summary>
    public async Task<(Touchpoint.Device.DeviceAgent Agent, Task Run)> AgentAsync(TestAccount owner, string sn, CancellationToken stop)
    {
        var credential = await owner.Client.PostAsync<Touchpoint.Server.DeviceChannel.IssuedCredential>($"/api/devices/{sn}/credential", new { });
        var agent = new Touchpoint.Device.DeviceAgent(new Touchpoint.Device.AgentIdentity(sn, credential.PrivateKeyPem), new Touchpoint.Device.AgentOptions
        {
            Host = "127.0.0.1", Port = Factory.MqttPort, Heartbeat = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(2),
        });
        var run = agent.RunAsync(stop);
        await owner.WaitOnlineAsync(sn);
        return (agent, run);
    }

    /// <summary>Waits until the Blazor circuit is live, so clicks reach the server.</summary>
    public static Task WaitInteractiveAsync(IPage page) => page.Locator("[data-interactive=true]").WaitForAsync();

    public static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Factory.DisposeAsync();
    }
}
