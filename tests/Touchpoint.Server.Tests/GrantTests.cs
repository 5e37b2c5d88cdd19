using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Grants;
using Touchpoint.Server.Demo;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Grants;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>R4 grants and the one permission check, enforced by the server, on each storage provider.</summary>
public abstract class GrantTests(TouchpointFactory factory)
{
    [Fact]
    public async Task GranteeSeesExactlyTheGrantedDevicesWithExactlyTheGrantedPermissions()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sp = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        var sns = await factory.OnboardAsync(owner, 3);
        await owner.Client.PostAsync<GrantSummary>("/api/grants", new NewGrant(null, sp.Login, [sns[0], sns[1]], GrantPermissions.AppDistribution));

        var granted = await sp.Client.GetAsync<DevicePage>("/api/devices?scope=Granted");
        Assert.Equal(sns[..2].Order(), granted.Items.Select(i => i.Sn).Order());
        Assert.Equal(0, (await sp.Client.GetAsync<DevicePage>("/api/devices")).Total);

        var detail = await sp.Client.GetStringAsync($"/api/devices/{sns[0]}");
        Assert.Contains("\"myPermissions\":\"AppDistribution\"", detail);
        var third = await sp.Client.GetAsync($"/api/devices/{sns[2]}");
        Assert.Equal($"您无权查看设备 {sns[2]}", await third.ProblemAsync(HttpStatusCode.Forbidden));
        // Filter by counterpart: the owner sees what it granted to this provider, the provider what this owner granted.
        Assert.Equal(sns[..2].Order(), (await owner.Client.GetAsync<DevicePage>($"/api/devices?counterpart={sp.Id}")).Items.Select(i => i.Sn).Order());
        Assert.Equal(2, (await sp.Client.GetAsync<DevicePage>($"/api/devices?scope=Granted&counterpart={owner.Id}")).Total);
        Assert.Equal(0, (await sp.Client.GetAsync<DevicePage>($"/api/devices?scope=Granted&counterpart={sp.Id}")).Total);

        var export = await sp.Client.GetStringAsync("/api/devices/export?scope=Granted&format=Csv");
        Assert.DoesNotContain(sns[2], export);

        var access = factory.Services.GetRequiredService<DeviceAccess>();
        var actor = new Accounts.Actor(sp.Id, AccountRole.ServiceProvider, sp.Name);
        var deviceId = granted.Items[0].Id;
        Assert.True(await access.AllowsAsync(actor, deviceId, DeviceOperation.AppDistribution));
        Assert.False(await access.AllowsAsync(actor, deviceId, DeviceOperation.Poster));
        Assert.False(await access.AllowsAsync(actor, deviceId, DeviceOperation.RemoteManagement));
        Assert.False(await access.AllowsAsync(actor, deviceId, DeviceOperation.ManageGrants));
    }

    [Fact]
    public async Task GrantingADeviceOneDoesNotOwnIsRefusedAndWritesNothing()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sp = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        var mine = await factory.OnboardAsync(owner, 1);
        var notMine = (await (await factory.LoginAsync(DemoAccounts.Merchant)).GetAsync<DevicePage>("/api/devices?pageSize=1")).Items[0].Sn;

        var response = await owner.Client.PostAsJsonAsync("/api/grants", new NewGrant(null, sp.Login, [mine[0], notMine], GrantPermissions.Poster), ApiClient.Json);
        Assert.Equal($"只能授权您名下的设备，以下设备不属于您：{notMine}", await response.ProblemAsync(HttpStatusCode.Forbidden));
        Assert.Empty(await owner.Client.GetAsync<List<GrantSummary>>("/api/grants/issued"));
        Assert.Equal(0, (await sp.Client.GetAsync<DevicePage>("/api/devices?scope=Granted")).Total);

        // A grantee cannot pass its grant on: it owns nothing.
        var demoSp = await factory.LoginAsync(DemoAccounts.ServiceProvider);
        var demoGranted = (await demoSp.GetAsync<DevicePage>("/api/devices?scope=Granted")).Items[0].Sn;
        var reGrant = await demoSp.PostAsJsonAsync("/api/grants", new NewGrant(null, sp.Login, [demoGranted], GrantPermissions.Poster), ApiClient.Json);
        Assert.Equal(HttpStatusCode.Forbidden, reGrant.StatusCode);
    }

    [Theory]
    [InlineData("nobody-here", GrantPermissions.Poster, 0, HttpStatusCode.NotFound, "被授权账号不存在，请核对登录名")]
    [InlineData("self", GrantPermissions.Poster, 0, HttpStatusCode.BadRequest, "不能授权给自己")]
    [InlineData("maker", GrantPermissions.Poster, 0, HttpStatusCode.BadRequest, "只能授权给商家或服务商账号")]
    [InlineData("isv", GrantPermissions.None, 0, HttpStatusCode.BadRequest, "请至少选择一种权限：海报投放、应用分发、播报运营、远程管理")]
    [InlineData("isv", GrantPermissions.Poster, -1, HttpStatusCode.BadRequest, "授权截止日期不能早于今天")]
    public async Task BadGrantRequestsGetAClearMessage(string grantee, GrantPermissions permissions, int lastDayOffset, HttpStatusCode status, string message)
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sns = await factory.OnboardAsync(owner, 1);
        var lastDay = lastDayOffset == 0 ? (DateOnly?)null : DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(lastDayOffset);
        var response = await owner.Client.PostAsJsonAsync("/api/grants",
            new NewGrant(null, grantee == "self" ? owner.Login : grantee, sns, permissions, lastDay), ApiClient.Json);
        Assert.Equal(message, await response.ProblemAsync(status));
        Assert.Empty(await owner.Client.GetAsync<List<GrantSummary>>("/api/grants/issued"));
    }

    [Fact]
    public async Task RevokedAndExpiredGrantsStopWorkingAtOnce()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sp = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        var sns = await factory.OnboardAsync(owner, 2);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var revocable = await owner.Client.PostAsync<GrantSummary>("/api/grants", new NewGrant(sp.Id, null, [sns[0]], GrantPermissions.RemoteManagement));
        var expiring = await owner.Client.PostAsync<GrantSummary>("/api/grants", new NewGrant(sp.Id, null, [sns[1]], GrantPermissions.Poster, today));
        Assert.Equal(2, (await sp.Client.GetAsync<DevicePage>("/api/devices?scope=Granted")).Total);

        var revoked = await owner.Client.PostAsync<GrantSummary>($"/api/grants/{revocable.Id}/revoke", new { });
        Assert.Equal(GrantState.Revoked, revoked.State);
        Assert.Equal(HttpStatusCode.Forbidden, (await sp.Client.GetAsync($"/api/devices/{sns[0]}")).StatusCode);
        Assert.Equal("该授权已撤销", await (await owner.Client.PostAsync($"/api/grants/{revocable.Id}/revoke", null)).ProblemAsync(HttpStatusCode.Conflict));
        Assert.Equal(HttpStatusCode.Forbidden, (await sp.Client.PostAsync($"/api/grants/{expiring.Id}/revoke", null)).StatusCode);

        // Let the second grant's last day pass.
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync())
        {
            var grant = await db.Grants.SingleAsync(g => g.Id == expiring.Id);
            grant.ExpiresAtUtc = DateTime.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        }
        Assert.Equal(0, (await sp.Client.GetAsync<DevicePage>("/api/devices?scope=Granted")).Total);
        Assert.Equal(HttpStatusCode.Forbidden, (await sp.Client.GetAsync($"/api/devices/{sns[1]}")).StatusCode);
        var issued = await owner.Client.GetAsync<List<GrantSummary>>("/api/grants/issued");
        Assert.Equal([GrantState.Expired, GrantState.Revoked], issued.Select(g => g.State));

        var audit = await owner.Client.GetStringAsync($"/api/audit?sn={sns[0]}");
        Assert.Contains("GrantCreated", audit);
        Assert.Contains("GrantRevoked", audit);
    }
}

public sealed class SqliteGrantTests(SqliteFactory f) : GrantTests(f), IClassFixture<SqliteFactory>;
public sealed class PostgresGrantTests(PostgresFactory f) : GrantTests(f), IClassFixture<PostgresFactory>;
