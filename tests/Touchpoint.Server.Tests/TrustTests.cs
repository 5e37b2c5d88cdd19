using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Grants;
using Touchpoint.Core.Ownership;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Apps;
using Touchpoint.Server.Demo;
using Touchpoint.Server.DeviceChannel;
using Touchpoint.Server.Grants;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Ownership;
using Touchpoint.Server.Security;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>Issue 10: the holes found against a running server, closed, and the classes they stood for.</summary>
public abstract class TrustTests(TouchpointFactory factory)
{
    [Fact]
    public async Task TheMakerIssuesAKeyBeforeTheDeviceIsSoldAndARemoteManagementGranteeAfter()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var maker = await factory.LoginAsync(DemoAccounts.Manufacturer);
        // Submitted by the maker, not yet authorized by the owner: no owner yet, the maker flashes the key.
        var entryId = await factory.IssueOnboardingAsync(owner);
        var unsold = Scenario.NewSn();
        await maker.PostAsync<OnboardingSubmission>($"/api/onboarding/entries/{entryId}/devices", new[] { new SubmitDeviceRequest(unsold, "刷脸设备", null, "11", null) });
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", (await maker.PostAsync<IssuedCredential>($"/api/devices/{unsold}/credential", new { })).PrivateKeyPem);

        var sn = (await factory.OnboardAsync(owner, 1))[0];
        Assert.Equal(HttpStatusCode.Forbidden, (await maker.PostAsJsonAsync($"/api/devices/{sn}/credential", new { })).StatusCode);
        var sp = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        await owner.Client.PostAsync<GrantSummary>("/api/grants", new NewGrant(sp.Id, null, [sn], GrantPermissions.Poster));
        Assert.Equal($"只有设备 {sn} 的所有者或获得“远程管理”授权的账号可以签发设备密钥",
            await (await sp.Client.PostAsJsonAsync($"/api/devices/{sn}/credential", new { })).ProblemAsync(HttpStatusCode.Forbidden));
        await owner.Client.PostAsync<GrantSummary>("/api/grants", new NewGrant(sp.Id, null, [sn], GrantPermissions.RemoteManagement));
        Assert.Equal(sn, (await sp.Client.PostAsync<IssuedCredential>($"/api/devices/{sn}/credential", new { })).Sn);
    }

    [Fact]
    public async Task TheCounterpartPickerFindsOneExactLoginOrIdWithAMaskedNameAndNeverTheDirectory()
    {
        var provider = await factory.NewAccountAsync(AccountRole.ServiceProvider, "杭州码上测试信息技术有限公司");
        var shop = await factory.NewAccountAsync(AccountRole.Merchant);

        Assert.Empty(await shop.Client.GetAsync<List<CounterpartMatch>>("/api/accounts/search?q=有限"));
        Assert.Empty(await shop.Client.GetAsync<List<CounterpartMatch>>($"/api/accounts/search?q={provider.Login[..10]}"));
        var byLogin = await shop.Client.GetStringAsync($"/api/accounts/search?q={provider.Login.ToUpperInvariant()}");
        Assert.DoesNotContain(provider.Login, byLogin);
        Assert.DoesNotContain(provider.Name, byLogin);
        var match = Assert.Single(JsonSerializer.Deserialize<List<CounterpartMatch>>(byLogin, ApiClient.Json)!);
        Assert.Equal((provider.Id, OwnerNameMask.Mask(provider.Name), AccountRole.ServiceProvider), (match.Id, match.DisplayName, match.Role));
        Assert.Equal(provider.Id, Assert.Single(await shop.Client.GetAsync<List<CounterpartMatch>>($"/api/accounts/search?q={provider.Id}")).Id);

        // The budget is per account (Security:AccountSearchPermits, 10 a minute).
        HttpStatusCode last = HttpStatusCode.OK;
        for (var i = 0; i < 12 && last == HttpStatusCode.OK; i++)
        {
            last = (await shop.Client.GetAsync($"/api/accounts/search?q=nobody{i}")).StatusCode;
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last);
        Assert.Equal(HttpStatusCode.OK, (await provider.Client.GetAsync("/api/accounts/search?q=x")).StatusCode);
    }

    [Fact]
    public async Task WrongPasswordsSlowDownOneAddressWithoutLockingTheAccountElsewhere()
    {
        var account = await factory.NewAccountAsync(AccountRole.Merchant);
        var accounts = factory.Services.GetRequiredService<AccountService>();
        for (var i = 0; i < 5; i++)
        {
            var bad = await Assert.ThrowsAsync<Core.Common.TouchpointException>(() => accounts.AuthenticateAsync(account.Login, "wrong", "203.0.113.7"));
            Assert.Equal("账号或密码错误", bad.Message);
        }
        var slowed = await Assert.ThrowsAsync<Core.Common.TouchpointException>(() => accounts.AuthenticateAsync(account.Login, "Passw0rd!", "203.0.113.7"));
        Assert.Equal(Core.Common.FailureKind.TooManyRequests, slowed.Kind);
        Assert.Matches("^登录失败次数过多，请 [0-9]+ 秒后再试$", slowed.Message);
        // The owner, from another address, is not locked out by what a stranger typed.
        Assert.Equal(account.Id, (await accounts.AuthenticateAsync(account.Login, "Passw0rd!", "198.51.100.20")).Id);
        // An unknown login gets the very same answer as a wrong password.
        var unknown = await Assert.ThrowsAsync<Core.Common.TouchpointException>(() => accounts.AuthenticateAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], "x", "198.51.100.21"));
        Assert.Equal("账号或密码错误", unknown.Message);
    }

    [Fact]
    public async Task ConcurrentWrongPasswordsAreEachCounted()
    {
        var account = await factory.NewAccountAsync(AccountRole.Merchant);
        var accounts = factory.Services.GetRequiredService<AccountService>();
        // Fewer than the free failures, so none is refused before it is counted: each one must land (no lost update).
        var tries = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            try { await accounts.AuthenticateAsync(account.Login, "wrong", "203.0.113.9"); } catch (Core.Common.TouchpointException) { }
        }));
        await Task.WhenAll(tries);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync();
        Assert.Equal(4, (await db.ThrottleCounters.SingleAsync(c => c.Key == $"login:203.0.113.9|{account.Login}")).Count);
    }

    [Fact]
    public async Task TheOperatorViewsAppsButCannotAuthorizeAThirdPartyAppForAMerchant()
    {
        var merchantApp = await (await factory.NewAccountAsync(AccountRole.Merchant)).NewMiniProgramAsync();
        var thirdParty = await (await factory.NewAccountAsync(AccountRole.ServiceProvider)).NewThirdPartyAppAsync();
        var op = await factory.OperatorAsync();
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync($"/api/open/apps/{merchantApp.AppId}")).StatusCode);
        var refused = await op.PostAsJsonAsync($"/api/open/apps/{merchantApp.AppId}/authorizations", new ThirdPartyRef(thirdParty.AppId));
        Assert.Equal("只有应用的所有者可以授权第三方应用；平台运营只能查看", await refused.ProblemAsync(HttpStatusCode.Forbidden));
        Assert.Empty(await merchantApp.Owner.Client.GetAsync<List<AuthorizationRow>>($"/api/open/apps/{merchantApp.AppId}/authorizations"));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.1.2.3/notify")]
    [InlineData("http://[fd00::1]/notify")]
    [InlineData("http://192.168.1.20:8080/x")]
    public async Task AppGatewayAndPreviewBackEndRefuseInternalAddresses(string url)
    {
        var app = await (await factory.NewAccountAsync(AccountRole.Merchant)).NewMiniProgramAsync();
        var gateway = await app.Owner.Client.PutAsJsonAsync($"/api/open/apps/{app.AppId}/gateway", new UrlText(url));
        Assert.StartsWith("应用网关不能指向本机、内网或链路本地地址", await gateway.ProblemAsync(HttpStatusCode.BadRequest));
        var apps = factory.Services.GetRequiredService<AppService>();
        var actor = new Actor(app.Owner.Id, AccountRole.Merchant, app.Owner.Name);
        var preview = await Assert.ThrowsAsync<Core.Common.TouchpointException>(() => apps.SetPreviewBackendAsync(actor, app.AppId, url));
        Assert.StartsWith("后端服务地址不能指向本机、内网或链路本地地址", preview.Message);
    }

    [Fact]
    public async Task OnBehalfDeviceQueriesAreDecidedByTheGrantsTheMerchantGaveTheProvider()
    {
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant);
        var merchantApp = await merchant.NewMiniProgramAsync();
        var provider = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        var thirdParty = await provider.NewThirdPartyAppAsync();
        var token = await merchantApp.AuthorizeAsync(thirdParty);
        var sns = await factory.OnboardAsync(merchant, 2);
        var providersOwn = (await factory.OnboardAsync(provider, 1))[0];
        await merchant.Client.PostAsync<GrantSummary>("/api/grants", new NewGrant(provider.Id, null, [sns[0]], GrantPermissions.Poster));
        using var client = await factory.GatewayClientAsync(thirdParty);
        const string method = "alipay.merchant.iot.device.network.query";

        var granted = await client.ExecuteAsync(method, new { device_sn = sns[0] }, appAuthToken: token);
        Assert.True(granted.IsSuccess, granted.RawBody);
        var notGranted = await client.ExecuteAsync(method, new { device_sn = sns[1] }, appAuthToken: token);
        Assert.Equal(("40006", "isv.insufficient-isv-permissions"), (notGranted.Code, notGranted.SubCode));
        // On behalf of the merchant, the provider's own terminals are not the merchant's to query.
        var own = await client.ExecuteAsync(method, new { device_sn = providersOwn }, appAuthToken: token);
        Assert.Equal(("40006", "isv.insufficient-isv-permissions"), (own.Code, own.SubCode));
        var sim = await client.ExecuteAsync("alipay.merchant.iot.simcard.query", new { device_sn = sns[1] }, appAuthToken: token);
        Assert.Equal("40006", sim.Code);
    }

    [Fact]
    public async Task SecretsAreSealedAtRestAndTheAesKeyIsRevealedToItsOwnerOnly()
    {
        var app = await (await factory.NewAccountAsync(AccountRole.Merchant)).NewMiniProgramAsync();
        var thirdParty = await (await factory.NewAccountAsync(AccountRole.ServiceProvider)).NewThirdPartyAppAsync();
        var token = await app.AuthorizeAsync(thirdParty);

        await using (var db = await Db())
        {
            var row = await db.DeveloperApps.SingleAsync(a => a.AppId == app.AppId);
            Assert.StartsWith(SecretBox.Prefix, row.AesKey);
            Assert.DoesNotContain(app.AesKey!, row.AesKey);
            var authorization = await db.AppAuthorizations.SingleAsync(a => a.MerchantAppId == row.Id);
            Assert.StartsWith(SecretBox.Prefix, authorization.Token);
            Assert.Equal(Touchpoint.Server.OpenApi.AppDirectory.HashToken(token), authorization.TokenHash);
            Assert.StartsWith(SecretBox.Prefix, (await db.PlatformKeys.SingleAsync()).PrivateKeyPem);
        }
        var view = await app.Owner.Client.GetStringAsync($"/api/open/apps/{app.AppId}");
        Assert.DoesNotContain(app.AesKey!, view);
        Assert.Contains("\"hasAesKey\":true", view);
        var op = await factory.OperatorAsync();
        Assert.DoesNotContain(app.AesKey!, await op.GetStringAsync($"/api/open/apps/{app.AppId}"));
        Assert.Equal(HttpStatusCode.NotFound, (await op.PostAsJsonAsync($"/api/open/apps/{app.AppId}/aes-key/reveal", new { })).StatusCode);
        var revealed = await app.Owner.Client.PostAsync<JsonElement>($"/api/open/apps/{app.AppId}/aes-key/reveal", new { });
        Assert.Equal(app.AesKey, revealed.GetProperty("aesKey").GetString());
        Assert.Contains("查看接口内容加密 AES 密钥", await app.Owner.Client.GetStringAsync("/api/audit"));
    }

    [Fact]
    public async Task SecretsWrittenInClearByAnOlderVersionAreSealedAtStartAndKeepWorking()
    {
        var app = await (await factory.NewAccountAsync(AccountRole.Merchant)).NewMiniProgramAsync();
        var thirdParty = await (await factory.NewAccountAsync(AccountRole.ServiceProvider)).NewThirdPartyAppAsync();
        var token = await app.AuthorizeAsync(thirdParty);
        const string legacyToken = "202601BBlegacytoken0000000000000000000";
        await using (var db = await Db())
        {
            // As a database from before sealing has them: clear AES key, clear token, no hash.
            var row = await db.DeveloperApps.SingleAsync(a => a.AppId == app.AppId);
            row.AesKey = app.AesKey;
            var authorization = await db.AppAuthorizations.SingleAsync(a => a.MerchantAppId == row.Id);
            authorization.Token = legacyToken;
            authorization.TokenHash = null;
            await db.SaveChangesAsync();
        }
        await factory.Services.GetRequiredService<SecretSealer>().SealLegacyAsync(CancellationToken.None);
        await using (var db = await Db())
        {
            var row = await db.DeveloperApps.SingleAsync(a => a.AppId == app.AppId);
            Assert.StartsWith(SecretBox.Prefix, row.AesKey);
            var authorization = await db.AppAuthorizations.SingleAsync(a => a.MerchantAppId == row.Id);
            Assert.StartsWith(SecretBox.Prefix, authorization.Token);
        }
        factory.Services.GetRequiredService<Touchpoint.Server.OpenApi.AppDirectory>().Forget(app.AppId);
        factory.Services.GetRequiredService<Touchpoint.Server.OpenApi.AppDirectory>().ForgetToken(Touchpoint.Server.OpenApi.AppDirectory.HashToken(token));
        using var merchantClient = await factory.GatewayClientAsync(app);
        Assert.True((await merchantClient.ExecuteAsync("alipay.open.mini.baseinfo.query", encrypt: true)).IsSuccess);
        using var providerClient = await factory.GatewayClientAsync(thirdParty);
        var onBehalf = await providerClient.ExecuteAsync("alipay.open.mini.baseinfo.query", appAuthToken: legacyToken);
        Assert.True(onBehalf.IsSuccess, onBehalf.RawBody);
        Assert.Equal(legacyToken, (await thirdParty.Owner.Client.GetAsync<List<AuthorizationRow>>($"/api/open/apps/{thirdParty.AppId}/authorizations"))[0].Token);
    }

    [Fact]
    public async Task CookieAuthenticatedWritesWithoutTheCustomHeaderAreRefusedAndChangeNothing()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sp = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        var sn = (await factory.OnboardAsync(owner, 1))[0];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/grants") { Content = JsonContent.Create(new NewGrant(sp.Id, null, [sn], GrantPermissions.Poster), options: ApiClient.Json) };
        request.Headers.Remove(CookieWriteGuard.Header);
        owner.Client.DefaultRequestHeaders.Remove(CookieWriteGuard.Header);
        var refused = await owner.Client.SendAsync(request);
        Assert.StartsWith("缺少请求头 X-Requested-With", await refused.ProblemAsync(HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync("/api/devices")).StatusCode); // reads need nothing
        owner.Client.DefaultRequestHeaders.Add(CookieWriteGuard.Header, "XMLHttpRequest");
        Assert.Empty(await owner.Client.GetAsync<List<GrantSummary>>("/api/grants/issued"));
    }

    [Fact]
    public async Task ASecondNodeOnTheSameDatabaseAcceptsTheCookieTheFirstIssuedAndOpensItsSecrets()
    {
        var app = await (await factory.NewAccountAsync(AccountRole.Merchant)).NewMiniProgramAsync();
        using var nodeB = factory.WithWebHostBuilder(b => b.UseSetting("DeviceChannel:Enabled", "false"));
        var nodeBClient = nodeB.CreateClient(new() { AllowAutoRedirect = false });
        var login = await factory.CreateClient(new() { HandleCookies = false }).PostAsJsonAsync("/api/auth/login", new { loginName = app.Owner.Login, password = "Passw0rd!" });
        var setCookie = login.Headers.GetValues("Set-Cookie").First().Split(';')[0];
        nodeBClient.DefaultRequestHeaders.Add("Cookie", setCookie);
        var me = await nodeBClient.GetAsync<JsonElement>("/api/auth/me");
        Assert.Equal(app.Owner.Id, me.GetProperty("id").GetInt64());
        // Node B opens the AES key node A sealed: one key ring in the database.
        nodeBClient.DefaultRequestHeaders.Add(CookieWriteGuard.Header, "1");
        var revealed = await nodeBClient.PostAsync<JsonElement>($"/api/open/apps/{app.AppId}/aes-key/reveal", new { });
        Assert.Equal(app.AesKey, revealed.GetProperty("aesKey").GetString());
    }

    [Fact]
    public async Task ListsArePagedWithTheirTotalInsteadOfStoppingAtACap()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sp = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        var sns = await factory.OnboardAsync(owner, 3);
        foreach (var sn in sns)
        {
            await owner.Client.PostAsync<GrantSummary>("/api/grants", new NewGrant(sp.Id, null, [sn], GrantPermissions.Poster));
        }
        var first = await owner.Client.GetAsync("/api/grants/issued?page=1&pageSize=2");
        Assert.Equal("3", first.Headers.GetValues("X-Total-Count").Single());
        Assert.Equal(2, (await first.ReadAsync<List<GrantSummary>>()).Count);
        var second = await owner.Client.GetAsync<List<GrantSummary>>("/api/grants/issued?page=2&pageSize=2");
        Assert.Equal(sns[0], Assert.Single(second).DeviceSns.Single()); // newest first: the oldest is on the last page
        Assert.Equal(3, (await owner.Client.GetAsync<List<GrantSummary>>("/api/grants/issued")).Count);
        var tooBig = await owner.Client.GetAsync("/api/grants/issued?pageSize=100000");
        Assert.Equal(Touchpoint.Server.Common.PageRequest.MaxSize.ToString(), tooBig.Headers.GetValues("X-Page-Size").Single());
    }

    [Fact]
    public async Task MalformedRequestsGetAChineseProblemNotABareStatus()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var broken = await owner.Client.PostAsync("/api/grants", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal("请求无法解析，请检查参数与 JSON 格式", await broken.ProblemAsync(HttpStatusCode.BadRequest));
        var huge = await owner.Client.GetAsync("/api/grants/issued?page=2147483647");
        Assert.Equal(HttpStatusCode.OK, huge.StatusCode); // brought into range, not an overflowing offset
    }

    private async Task<TouchpointDb> Db() => await factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync();
}

public sealed class SqliteTrustTests(SqliteFactory f) : TrustTests(f), IClassFixture<SqliteFactory>;
public sealed class PostgresTrustTests(PostgresFactory f) : TrustTests(f), IClassFixture<PostgresFactory>;

/// <summary>Outside demo mode the simulated Alipay client (/runtime) is not there at all.</summary>
public sealed class RuntimeOutsideDemoTests : IDisposable
{
    private readonly SqliteFactory _factory = new();

    [Fact]
    public async Task RuntimeEndpointsAreOffWithoutDemoMode()
    {
        using var production = _factory.WithWebHostBuilder(b => b.UseSetting("Demo:Seed", "false").UseSetting("DeviceChannel:Enabled", "false"));
        var client = production.CreateClient();
        var response = await client.PostAsJsonAsync("/runtime/authorize", new { app_id = "2026000000000000", user_id = "2088000000000001", scopes = "auth_base" });
        Assert.False(response.IsSuccessStatusCode);
        var routes = production.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().Select(e => e.RoutePattern.RawText ?? "");
        Assert.DoesNotContain(routes, r => r.StartsWith("/runtime", StringComparison.Ordinal));
    }

    public void Dispose() => _factory.Dispose();
}

/// <summary>
/// Two nodes on one PostgreSQL database, each with its own device endpoint (as behind a TCP load balancer): a connect
/// token used on one node is refused on the other, because the used-nonce set is in the database.
/// </summary>
public sealed class ReplayAcrossNodesTests(PostgresFactory factory) : IClassFixture<PostgresFactory>
{
    [Fact]
    public async Task ATokenUsedOnOneNodeIsRefusedOnTheOther()
    {
        var (_, sn, identity) = await DeviceChannelScenario.NewDeviceAsync(factory);
        var portB = FreePorts.Next();
        using var nodeB = factory.WithWebHostBuilder(b => b.UseSetting("DeviceChannel:Port", portB.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        _ = nodeB.Server; // start node B and its broker
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(identity.PrivateKeyPem);
        var token = Core.DeviceChannel.ConnectToken.Create(sn, key, DateTimeOffset.UtcNow);
        Assert.Equal(MQTTnet.MqttClientConnectResultCode.Success, await ConnectAsync(factory.MqttPort, sn, token));
        Assert.NotEqual(MQTTnet.MqttClientConnectResultCode.Success, await ConnectAsync(portB, sn, token));
        var fresh = Core.DeviceChannel.ConnectToken.Create(sn, key, DateTimeOffset.UtcNow);
        Assert.Equal(MQTTnet.MqttClientConnectResultCode.Success, await ConnectAsync(portB, sn, fresh));
    }

    private static async Task<MQTTnet.MqttClientConnectResultCode> ConnectAsync(int port, string sn, string password)
    {
        using var client = new MQTTnet.MqttClientFactory().CreateMqttClient();
        var options = new MQTTnet.MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(sn).WithCredentials(sn, password).Build();
        try
        {
            return (await client.ConnectAsync(options)).ResultCode;
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException)
        {
            return MQTTnet.MqttClientConnectResultCode.NotAuthorized;
        }
    }
}
