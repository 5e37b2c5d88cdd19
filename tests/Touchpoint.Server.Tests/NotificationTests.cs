using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Server.Infrastructure;
using System.Text.Json;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Sdk;
using Touchpoint.Server.MemberInfo;
using Touchpoint.Server.Notifications;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>R30: review results reach the subscribed app gateways as signed notifications, retried until "success".</summary>
public abstract class NotificationTests(TouchpointFactory factory)
{
    [Fact]
    public async Task ReviewResultReachesTheSubscribedGatewaySignedAndIsRetriedWithTheSameBytesUntilSuccess()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        receiver.Answer = "fail";
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant);
        var app = await merchant.NewMiniProgramAsync();
        await app.SubscribeAsync(receiver.Url);
        var id = await app.ApplyForMobileAsync();

        var op = await factory.OperatorAsync();
        (await op.PostAsync($"/api/member-info/applications/{id}/approve", null)).EnsureSuccessStatusCode();
        await receiver.WaitForAsync(3);
        receiver.Answer = "success";
        var received = await WaitDeliveredAsync(merchant.Client, app.AppId);

        var bodies = receiver.Requests.Select(r => r.RawBody).Distinct().ToList();
        Assert.Single(bodies); // every retry carries the bytes signed once, at staging
        var form = receiver.Requests.First().Form;
        Assert.StartsWith("application/x-www-form-urlencoded", receiver.Requests.First().ContentType);
        Assert.Equal(MemberFieldCatalogue.FieldChangedMethod, form["msg_method"]);
        Assert.Equal(app.AppId, form["app_id"]);
        Assert.Equal("1.1", form["version"]);
        Assert.Equal("RSA2", form["sign_type"]);
        Assert.True(long.Parse(form["utc_timestamp"]) > DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());
        using var biz = JsonDocument.Parse(form["biz_content"]);
        Assert.Equal("agree", biz.RootElement.GetProperty("status").GetString());
        Assert.Equal(app.AppId, biz.RootElement.GetProperty("user_app_id").GetString());
        Assert.Equal("mobile", biz.RootElement.GetProperty("field_name").GetString());
        using var verifier = new NotificationVerifier((await factory.PlatformAsync()).PlatformPublicKey);
        Assert.True(verifier.Verify(form));
        Assert.False(verifier.Verify(new Dictionary<string, string>(form) { ["biz_content"] = form["biz_content"].Replace("agree", "reject") }));

        // The console shows each attempt: the failures with the receiver's answer, then the success.
        Assert.Equal(DeliveryStatus.Delivered, received.Status);
        Assert.True(received.Attempts.Count >= 4);
        Assert.All(received.Attempts.SkipLast(1), a => Assert.Contains("应答不是 success", a.Outcome));
        Assert.True(received.Attempts[^1].Succeeded);
    }

    [Fact]
    public async Task ATradeNotificationIsStagedUnsignedAndSignedWhenFirstSentWithItsSendingTime()
    {
        var outbox = factory.Services.GetRequiredService<NotificationOutbox>();
        var staged = outbox.TradeStatus(1, "2021000000000001", "https://merchant.example.com/notify", new Dictionary<string, string?>
        {
            ["trade_no"] = "2026120222000000000000000001", ["out_trade_no"] = "A-1", ["subject"] = "中文 & = + 符号%", ["total_amount"] = "1.00",
            ["gmt_payment"] = null,
        });
        Assert.True(staged.SignAtSend);
        var unsigned = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(staged.Body);
        Assert.False(unsigned.ContainsKey("sign"));

        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(outbox.SignForSending(staged)).ToDictionary(p => p.Key, p => p.Value.ToString());
        using var verifier = new NotificationVerifier((await factory.PlatformAsync()).PlatformPublicKey);
        Assert.True(verifier.Verify(form));
        Assert.Equal(("中文 & = + 符号%", "A-1", "trade_status_sync", "2021000000000001"), (form["subject"], form["out_trade_no"], form["notify_type"], form["app_id"]));
        Assert.False(form.ContainsKey("gmt_payment"));
        var sent = DateTime.ParseExact(form["notify_time"], "yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(sent, DateTime.UtcNow.AddHours(8).AddMinutes(-1), DateTime.UtcNow.AddHours(8).AddMinutes(1));
        Assert.False(verifier.Verify(new Dictionary<string, string>(form) { ["total_amount"] = "100.00" }));
    }

    [Fact]
    public async Task OnBehalfResultAlsoReachesTheProvidersThirdPartyAppAndUnsubscribedAppsGetNothing()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant);
        var provider = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        var merchantApp = await merchant.NewMiniProgramAsync(); // not subscribed
        var thirdParty = await provider.NewThirdPartyAppAsync();
        await thirdParty.SubscribeAsync(receiver.Url);
        var token = await merchantApp.AuthorizeAsync(thirdParty);
        using var isv = await factory.GatewayClientAsync(thirdParty);
        var applied = await isv.ExecuteAsync("alipay.open.app.api.field.apply", appAuthToken: token, files: [OpenPlatformScenario.Png()],
            extra: OpenPlatformScenario.MobileApplication());
        Assert.True(applied.IsSuccess, applied.RawBody);

        var op = await factory.OperatorAsync();
        var application = Assert.Single(await op.GetAsync<List<ApplicationRow>>($"/api/member-info/applications?appId={merchantApp.AppId}"));
        Assert.Equal(thirdParty.AppId, application.OnBehalfAppId);
        (await op.PostAsJsonAsync($"/api/member-info/applications/{application.Id}/reject", new Apps.RejectReason("场景描述与示例不符"))).EnsureSuccessStatusCode();

        var got = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal(thirdParty.AppId, got.Form["app_id"]);
        using var biz = JsonDocument.Parse(got.Form["biz_content"]);
        Assert.Equal(merchantApp.AppId, biz.RootElement.GetProperty("user_app_id").GetString());
        Assert.Equal("reject", biz.RootElement.GetProperty("status").GetString());
        Assert.Equal("场景描述与示例不符", biz.RootElement.GetProperty("reason").GetString());
        Assert.Empty(await merchant.Client.GetAsync<List<DeliveryRow>>($"/api/open/notifications?appId={merchantApp.AppId}"));
    }

    [Fact]
    public async Task SeveralWorkersClaimingAtOnceDeliverEachNotificationExactlyOnce()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        var app = await (await factory.NewAccountAsync(AccountRole.Merchant)).NewMiniProgramAsync();
        var dbFactory = factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>();
        long appRowId;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            appRowId = await db.DeveloperApps.Where(a => a.AppId == app.AppId).Select(a => a.Id).SingleAsync();
            var now = DateTime.UtcNow;
            for (var i = 0; i < 60; i++)
            {
                var id = $"{app.AppId}-{i:D3}";
                db.NotificationDeliveries.Add(new NotificationDelivery
                {
                    NotifyId = id, AppId = appRowId, MsgMethod = MemberFieldCatalogue.FieldChangedMethod, Url = receiver.Url,
                    Body = $"notify_id={id}", Status = DeliveryStatus.Pending, NextAttemptAtUtc = now, CreatedAtUtc = now,
                });
            }
            await db.SaveChangesAsync();
        }
        // Two more workers besides the host's own, as on three nodes sharing one database.
        var workers = Enumerable.Range(0, 2).Select(_ => ActivatorUtilities.CreateInstance<NotificationWorker>(factory.Services)).ToList();
        await Task.WhenAll(workers.Select(async worker =>
        {
            while (await worker.RunOnceAsync(CancellationToken.None) > 0)
            {
            }
        }));
        await receiver.WaitForAsync(60);
        await Task.Delay(500); // any duplicate would arrive now
        var bodies = receiver.Requests.Select(r => r.RawBody).ToList();
        Assert.Equal(60, bodies.Count);
        Assert.Equal(60, bodies.Distinct().Count());
        // Each attempt is recorded after its POST was answered: on a loaded machine the last few land a moment later.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        int delivered;
        while (true)
        {
            await using var check = await dbFactory.CreateDbContextAsync();
            delivered = await check.NotificationDeliveries.CountAsync(d => d.AppId == appRowId && d.Status == DeliveryStatus.Delivered && d.AttemptCount == 1);
            if (delivered == 60 || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.Equal(60, delivered);
    }


    private static async Task<DeliveryRow> WaitDeliveredAsync(HttpClient owner, string appId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var rows = await owner.GetAsync<List<DeliveryRow>>($"/api/open/notifications?appId={appId}");
            if (rows.FirstOrDefault() is { Status: DeliveryStatus.Delivered } row)
            {
                return row;
            }
            Assert.True(DateTime.UtcNow < deadline, $"not delivered: {JsonSerializer.Serialize(rows)}");
            await Task.Delay(100);
        }
    }
}

public sealed class SqliteNotificationTests(SqliteFactory f) : NotificationTests(f), IClassFixture<SqliteFactory>;
public sealed class PostgresNotificationTests(PostgresFactory f) : NotificationTests(f), IClassFixture<PostgresFactory>;
