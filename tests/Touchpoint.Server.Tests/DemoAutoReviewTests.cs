using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Touchpoint.Core.Accounts;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>Demo mode's optional auto-review: off by default, and when on it approves like an operator would.</summary>
public sealed class DemoAutoReviewTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task WhenTurnedOnApplicationsAreApprovedAndNotifiedWithoutAnOperator()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        // A second host on the same database; the first one already holds the MQTT port.
        using var auto = factory.WithWebHostBuilder(b => b.UseSetting("Demo:AutoApproveAfterSeconds", "0.5").UseSetting("DeviceChannel:Enabled", "false"));
        var merchant = await ((TouchpointFactory)factory).NewAccountAsync(AccountRole.Merchant);
        var client = auto.CreateClient();
        var login = await client.PostAsync("/api/auth/login", System.Net.Http.Json.JsonContent.Create(new { loginName = merchant.Login, password = "Passw0rd!" }));
        login.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Add("X-Requested-With", "XMLHttpRequest");
        var me = merchant with { Client = client };
        var app = await me.NewMiniProgramAsync();
        await app.SubscribeAsync(receiver.Url);
        (await client.PostAsync($"/api/member-info/apps/{app.AppId}/applications",
            OpenPlatformScenario.ConsoleApplicationForm(OpenPlatformScenario.MobileApplication(), OpenPlatformScenario.Png()))).EnsureSuccessStatusCode();

        var notification = Assert.Single(await receiver.WaitForAsync(1));
        using var biz = JsonDocument.Parse(notification.Form["biz_content"]);
        Assert.Equal("agree", biz.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task OffByDefault()
    {
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant);
        var app = await merchant.NewMiniProgramAsync();
        (await merchant.Client.PostAsync($"/api/member-info/apps/{app.AppId}/applications",
            OpenPlatformScenario.ConsoleApplicationForm(OpenPlatformScenario.MobileApplication(), OpenPlatformScenario.Png()))).EnsureSuccessStatusCode();
        await Task.Delay(1500);
        var rows = await merchant.Client.GetAsync<List<MemberInfo.ApplicationRow>>($"/api/member-info/applications?appId={app.AppId}");
        Assert.Equal(Core.OpenPlatform.FieldApplicationStatus.Audit, Assert.Single(rows).Status);
    }
}
