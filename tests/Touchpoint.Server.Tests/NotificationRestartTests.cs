using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Sdk;
using Touchpoint.Server.Demo;
using Touchpoint.Server.MemberInfo;
using Touchpoint.Server.Notifications;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>The outbox survives a kill -9: after a restart the pending notification leaves exactly as it was signed.</summary>
public sealed class NotificationRestartTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("touchpoint-kill-").FullName;

    [Fact]
    public async Task PendingNotificationIsDeliveredAfterTheServerIsKilledAndRestartedWithTheSameSignedBytes()
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(_folder, "touchpoint.db")}",
            ["Demo:Seed"] = "true",
            ["Demo:SandboxDirectory"] = Path.Combine(_folder, "demo"),
            ["Notifications:RetryDelayScale"] = "0.01", // the first retry 2.4 s after the failed attempt
            ["Notifications:PollSeconds"] = "0.2",
        };
        await using var receiver = await NotificationReceiver.StartAsync();
        receiver.Answer = "busy";

        string platformKey;
        await using (var first = await ServerProcess.StartAsync(_folder, settings))
        {
            var merchantHttp = await first.LoginAsync(DemoAccounts.Merchant);
            var merchant = new TestAccount(0, DemoAccounts.Merchant, "", merchantHttp);
            var app = await merchant.NewMiniProgramAsync();
            await app.SubscribeAsync(receiver.Url);
            var applied = await merchantHttp.PostAsync($"/api/member-info/apps/{app.AppId}/applications",
                OpenPlatformScenario.ConsoleApplicationForm(OpenPlatformScenario.MobileApplication(), OpenPlatformScenario.Png()));
            var id = (await applied.ReadAsync<JsonElement>()).GetProperty("id").GetInt64();
            var op = await first.LoginAsync(DemoAccounts.Operator);
            (await op.PostAsync($"/api/member-info/applications/{id}/approve", null)).EnsureSuccessStatusCode();
            platformKey = (await op.GetAsync<PlatformInfo>("/api/open/platform")).PlatformPublicKey;

            await receiver.WaitForAsync(1);
            // Wait until the failed attempt is on record, then kill before the retry is due.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((await merchantHttp.GetAsync<List<DeliveryRow>>($"/api/open/notifications?appId={app.AppId}")).Single().AttemptCount < 1)
            {
                Assert.True(DateTime.UtcNow < deadline);
                await Task.Delay(50);
            }
            first.Kill();
        }
        var beforeRestart = receiver.Requests.Count;
        receiver.Answer = "success";

        await using var second = await ServerProcess.StartAsync(_folder, settings);
        var all = await receiver.WaitForAsync(beforeRestart + 1, TimeSpan.FromSeconds(30));
        Assert.Equal(all[0].RawBody, all[^1].RawBody);
        using var verifier = new NotificationVerifier(platformKey);
        Assert.True(verifier.Verify(all[^1].Form));
    }

    [Fact]
    public async Task ATradeNotificationPendingAtAKillIsDeliveredAfterTheRestart()
    {
        var folder = Path.Combine(_folder, "trade");
        var settings = new Dictionary<string, string>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder, "touchpoint.db")}",
            ["Demo:Seed"] = "true",
            ["Demo:SandboxDirectory"] = Path.Combine(folder, "demo"),
            ["Notifications:RetryDelayScale"] = "0.01",
            ["Notifications:PollSeconds"] = "0.2",
        };
        Directory.CreateDirectory(folder);
        await using var receiver = await NotificationReceiver.StartAsync();
        receiver.Answer = "busy";
        string platformKey;
        string order = "KILL" + Guid.NewGuid().ToString("N")[..12];
        await using (var first = await ServerProcess.StartAsync(folder, settings))
        {
            var merchantHttp = await first.LoginAsync(DemoAccounts.Merchant);
            var merchant = new TestAccount(0, DemoAccounts.Merchant, "", merchantHttp);
            var app = await merchant.NewMiniProgramAsync();
            var op = await first.LoginAsync(DemoAccounts.Operator);
            platformKey = (await op.GetAsync<PlatformInfo>("/api/open/platform")).PlatformPublicKey;
            using var anonymous = new HttpClient { BaseAddress = new Uri(first.BaseUrl) };
            var code = (await (await anonymous.PostAsJsonAsync("/runtime/members/2088101117955611/payment-code", new { })).ReadAsync<JsonElement>())
                .GetProperty("payment_code").GetString();
            using var gateway = new OpenApiClient(new HttpClient(), new OpenApiClientOptions
            {
                Gateway = new Uri(new Uri(first.BaseUrl), "/gateway.do"), AppId = app.AppId, PrivateKey = app.PrivateKey, PlatformPublicKey = platformKey,
            });
            var paid = await gateway.ExecuteAsync("alipay.trade.pay", new
            {
                out_trade_no = order, scene = "bar_code", auth_code = code, total_amount = "3.30", subject = "断电前的交易", notify_url = receiver.Url,
            });
            Assert.Equal("10000", paid.Code);
            await receiver.WaitForAsync(1);
            first.Kill();
        }
        var beforeRestart = receiver.Requests.Count;
        receiver.Answer = "success";
        await using var second = await ServerProcess.StartAsync(folder, settings);
        var all = await receiver.WaitForAsync(beforeRestart + 1, TimeSpan.FromSeconds(30));
        Assert.Equal(all[0].RawBody, all[^1].RawBody);
        Assert.Equal(("trade_status_sync", order), (all[^1].Form["notify_type"], all[^1].Form["out_trade_no"]));
        using var verifier = new NotificationVerifier(platformKey);
        Assert.True(verifier.Verify(all[^1].Form));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
