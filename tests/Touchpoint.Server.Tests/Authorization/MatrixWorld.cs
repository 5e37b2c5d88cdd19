using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Grants;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Sdk;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Apps;
using Touchpoint.Server.Demo;
using Touchpoint.Server.Grants;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Ownership;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>Clients as the console's own script makes them: the auth cookie plus <c>X-Requested-With</c> on every request.</summary>
public static class MatrixClients
{
    public const string RequestedWith = "X-Requested-With";

    public static HttpClient Anonymous(this WebApplicationFactory<Program> f)
    {
        var client = f.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = f.ClientOptions.BaseAddress });
        client.DefaultRequestHeaders.Add(RequestedWith, "XMLHttpRequest");
        return client;
    }

    /// <summary>Logs in like <see cref="ApiClient.LoginAsync"/>; then every request carries the header (unless <paramref name="requestedWith"/> is false).</summary>
    public static async Task<HttpClient> SignInAsync(this WebApplicationFactory<Program> f, string login, string password = ApiClient.DemoPassword,
        bool requestedWith = true)
    {
        var client = f.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = f.ClientOptions.BaseAddress });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { loginName = login, password }) };
        request.Headers.Add(RequestedWith, "XMLHttpRequest");
        var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"login {login}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (requestedWith)
        {
            client.DefaultRequestHeaders.Add(RequestedWith, "XMLHttpRequest");
        }
        return client;
    }
}

/// <summary>
/// The accounts every row of one host shares (creating accounts costs a password hash each), and the fresh resources
/// rows arrange for themselves: devices, grants, entries, orders, apps, applications.
/// </summary>
public sealed class MatrixWorld
{
    public const string Password = "Passw0rd!";
    public const string MemberUserId = "2088101117955611";

    private readonly ConcurrentQueue<string> _owned = new();
    private readonly SemaphoreSlim _poolGate = new(1, 1);
    private readonly Lazy<Task<SharedApps>> _sharedApps;
    private readonly Lazy<Task<PageResources>> _pageResources;

    private MatrixWorld(TouchpointFactory f)
    {
        F = f;
        _sharedApps = new(() => NewSharedAppsAsync());
        _pageResources = new(() => NewPageResourcesAsync());
    }

    public TouchpointFactory F { get; }
    public HttpClient AnonymousClient { get; private set; } = default!;
    public TestAccount Operator { get; private set; } = default!;
    public TestAccount Maker { get; private set; } = default!;
    /// <summary>An enterprise merchant: owns the rows' devices and apps.</summary>
    public TestAccount Owner { get; private set; } = default!;
    /// <summary>The owner again, signed in, but whose requests do not carry X-Requested-With.</summary>
    public HttpClient OwnerWithoutRequestedWith { get; private set; } = default!;
    /// <summary>A service provider: receives the rows' grants, owns the third-party app the merchant authorizes.</summary>
    public TestAccount Grantee { get; private set; } = default!;
    public TestAccount Other { get; private set; } = default!;
    /// <summary>A service provider with nothing to do with anything.</summary>
    public TestAccount Stranger { get; private set; } = default!;
    public string PlatformPublicKey { get; private set; } = "";

    public static async Task<MatrixWorld> CreateAsync(TouchpointFactory f)
    {
        var w = new MatrixWorld(f);
        w.AnonymousClient = f.Anonymous();
        var op = await f.SignInAsync(DemoAccounts.Operator);
        var all = await op.GetAsync<List<AccountSummary>>("/api/accounts");
        w.Operator = new TestAccount(all.Single(a => a.LoginName == DemoAccounts.Operator).Id, DemoAccounts.Operator, "", op);
        var maker = all.Single(a => a.LoginName == DemoAccounts.Manufacturer);
        w.Maker = new TestAccount(maker.Id, maker.LoginName, maker.DisplayName, await f.SignInAsync(DemoAccounts.Manufacturer));
        var accounts = await Task.WhenAll(w.NewAccountAsync(AccountRole.Merchant), w.NewAccountAsync(AccountRole.ServiceProvider),
            w.NewAccountAsync(AccountRole.Merchant), w.NewAccountAsync(AccountRole.ServiceProvider));
        (w.Owner, w.Grantee, w.Other, w.Stranger) = (accounts[0], accounts[1], accounts[2], accounts[3]);
        w.OwnerWithoutRequestedWith = await f.SignInAsync(w.Owner.Login, Password, requestedWith: false);
        w.PlatformPublicKey = (await op.GetAsync<PlatformInfo>("/api/open/platform")).PlatformPublicKey;
        return w;
    }

    public HttpClient ClientFor(Rel rel) => AccountFor(rel)?.Client ?? AnonymousClient;

    public TestAccount? AccountFor(Rel rel) => rel switch
    {
        Rel.Owner => Owner,
        Rel.GranteeWithPermission or Rel.GranteeWithoutPermission => Grantee,
        Rel.OtherMerchant => Other,
        Rel.ServiceProvider => Stranger,
        Rel.Manufacturer => Maker,
        Rel.Operator => Operator,
        _ => null,
    };

    // ---- accounts

    public async Task<TestAccount> NewAccountAsync(AccountRole role)
    {
        var login = $"m{role.ToString().ToLowerInvariant()[..3]}-{Guid.NewGuid():N}"[..24];
        var display = $"矩阵{role.Chinese()}{login[^6..]}有限公司";
        var created = await Operator.Client.PostAsync<AccountSummary>("/api/accounts",
            new NewAccount(login, display, role, Password, role == AccountRole.Merchant ? MerchantKind.Enterprise : null, "餐饮"));
        return new TestAccount(created.Id, login, display, await F.SignInAsync(login, Password));
    }

    // ---- devices

    /// <summary>A device owned by <see cref="Owner"/> that no other row has seen (taken from batches onboarded 20 at a time).</summary>
    public async Task<string> OwnedDeviceAsync()
    {
        while (true)
        {
            if (_owned.TryDequeue(out var sn))
            {
                return sn;
            }
            await _poolGate.WaitAsync();
            try
            {
                if (_owned.IsEmpty)
                {
                    var (_, sns) = await SubmitAsync(Owner, 20, decide: true);
                    foreach (var s in sns) _owned.Enqueue(s);
                }
            }
            finally
            {
                _poolGate.Release();
            }
        }
    }

    /// <summary>The operator issues an entry for <paramref name="target"/>; maker submits fresh SNs; the target accepts, declines or not yet.</summary>
    public async Task<(long EntryId, string[] Sns)> SubmitAsync(TestAccount target, int count, bool? decide)
    {
        var entryId = await IssueEntryAsync(target);
        var sns = Enumerable.Range(0, count).Select(_ => Scenario.NewSn("AM")).ToArray();
        var result = await Maker.Client.PostAsync<OnboardingSubmission>($"/api/onboarding/entries/{entryId}/devices",
            sns.Select(sn => new SubmitDeviceRequest(sn, "刷脸设备", null, "11", null)).ToArray());
        Assert.Equal(count, result.Accepted);
        if (decide is { } accept)
        {
            await target.Client.PostAsync<JsonElement>($"/api/onboarding/entries/{entryId}/decide", new DecideRequest(null, accept));
        }
        return (entryId, sns);
    }

    public async Task<long> IssueEntryAsync(TestAccount target) =>
        (await Operator.Client.PostAsync<OnboardingEntrySummary>("/api/onboarding/entries",
            new IssueOnboardingRequest(Maker.Id, target.Id, "矩阵测试批次"))).Id;

    /// <summary>A free device in stock (no owner, not held): submitted by maker, declined by the owner.</summary>
    public async Task<string> StockDeviceAsync() => (await SubmitAsync(Owner, 1, decide: false)).Sns[0];

    /// <summary>
    /// A SIM as the device's telemetry would have reported it (the row's arrangement writes it directly: a real agent
    /// is not what these rows are about). Returns the ICCID.
    /// </summary>
    public async Task<string> GiveSimAsync(string sn)
    {
        var iccid = "898600" + Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999);
        await using var db = await F.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync();
        await db.Devices.Where(d => d.Sn == sn).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.SimIccid, iccid).SetProperty(d => d.NetworkType, NetworkType.Cellular).SetProperty(d => d.SimOperator, "中国移动"));
        return iccid;
    }

    public async Task<GrantSummary> GrantAsync(string sn, GrantPermissions permissions, TestAccount? grantee = null) =>
        await Owner.Client.PostAsync<GrantSummary>("/api/grants", new NewGrant((grantee ?? Grantee).Id, null, [sn], permissions));

    // ---- apps

    /// <summary>A mini-program of <paramref name="owner"/>: created only, or with complete basic info (category 餐饮_餐厅).</summary>
    public async Task<string> NewAppAsync(TestAccount? owner = null, bool complete = false, AppKind kind = AppKind.MiniProgram, string name = "矩阵测试应用")
    {
        owner ??= Owner;
        var app = await owner.Client.PostAsync<AppView>("/api/open/apps", new NewApp(name, kind));
        if (complete)
        {
            (await owner.Client.PutAsJsonAsync($"/api/open/apps/{app.AppId}/basic-info",
                new BasicInfoChange(null, "C01_C0101", "https://example.com/logo.png", "用于授权矩阵测试的小程序", "0571-88880000"),
                ApiClient.Json)).EnsureSuccessStatusCode();
        }
        return app.AppId;
    }

    /// <summary>Generates the app's AES key and returns it: from the answer, or else through 查看 (aes-key/reveal).</summary>
    public async Task<string> NewAesKeyAsync(string appId, TestAccount? owner = null)
    {
        owner ??= Owner;
        var generated = await owner.Client.PostAsync<JsonElement>($"/api/open/apps/{appId}/aes-key", new { });
        if (generated.ValueKind == JsonValueKind.Object && generated.TryGetProperty("aesKey", out var key) && key.GetString() is { Length: > 0 } text)
        {
            return text;
        }
        return (await owner.Client.PostAsync<JsonElement>($"/api/open/apps/{appId}/aes-key/reveal", new { })).GetProperty("aesKey").GetString()!;
    }

    /// <summary>A complete mini-program with key pair and AES key, as a merchant back end holds it.</summary>
    public Task<TestApp> NewSignedAppAsync(TestAccount? owner = null) => (owner ?? Owner).NewMiniProgramAsync();

    public Task<TestApp> NewThirdPartyAppAsync(TestAccount? provider = null) => (provider ?? Grantee).NewThirdPartyAppAsync();

    /// <summary>The merchant's app authorizes the third-party app; returns the authorization id and the provider's token.</summary>
    public async Task<(long Id, string Token)> AuthorizeAsync(string merchantAppId, TestAccount merchant, TestApp thirdParty)
    {
        var created = await merchant.Client.PostAsync<JsonElement>($"/api/open/apps/{merchantAppId}/authorizations", new ThirdPartyRef(thirdParty.AppId));
        var rows = await thirdParty.Owner.Client.GetAsync<List<AuthorizationRow>>($"/api/open/apps/{thirdParty.AppId}/authorizations");
        return (created.GetProperty("id").GetInt64(), rows.First(r => r.MerchantAppId == merchantAppId && r.RevokedAtUtc == null).Token);
    }

    /// <summary>The merchant applies for a member field in the console (one PNG sample); returns the application id.</summary>
    public async Task<long> ApplyAsync(string appId, TestAccount? owner = null, Dictionary<string, string>? fields = null)
    {
        var created = await (owner ?? Owner).Client.PostAsync($"/api/member-info/apps/{appId}/applications",
            OpenPlatformScenario.ConsoleApplicationForm(fields ?? OpenPlatformScenario.MobileApplication(), OpenPlatformScenario.Png()));
        return (await created.ReadAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public async Task ApproveAsync(long applicationId) =>
        (await Operator.Client.PostAsync($"/api/member-info/applications/{applicationId}/approve", null)).EnsureSuccessStatusCode();

    /// <summary>The member consents in the (simulated) Alipay client: an auth code for the app.</summary>
    public async Task<string> AuthCodeAsync(string appId, string scopes = "auth_user")
    {
        var response = await AnonymousClient.PostAsJsonAsync("/runtime/authorize", new { app_id = appId, user_id = MemberUserId, scopes });
        return (await response.ReadAsync<JsonElement>()).GetProperty("auth_code").GetString()!;
    }

    public OpenApiClient Gateway(TestApp app, string? appId = null) => new(F.CreateClient(), new OpenApiClientOptions
    {
        Gateway = new Uri(F.ClientOptions.BaseAddress, "/gateway.do"),
        AppId = appId ?? app.AppId,
        PrivateKey = app.PrivateKey,
        PlatformPublicKey = PlatformPublicKey,
        AesKey = app.AesKey,
    });

    /// <summary>An access token (alipay.system.oauth.token) of the app for the simulated member.</summary>
    public async Task<string> AccessTokenAsync(TestApp app)
    {
        using var client = Gateway(app);
        var answer = await client.ExecuteAsync("alipay.system.oauth.token",
            new { grant_type = "authorization_code", code = await AuthCodeAsync(app.AppId) });
        Assert.True(answer.IsSuccess, answer.RawBody);
        return answer.Text("access_token")!;
    }

    /// <summary>For rows that only read: one signed merchant app of <see cref="Owner"/>, one third-party app of <see cref="Grantee"/> it authorized.</summary>
    public Task<SharedApps> SharedAppsAsync() => _sharedApps.Value;

    public sealed record SharedApps(TestApp MerchantApp, TestApp ThirdParty, string Token);

    private async Task<SharedApps> NewSharedAppsAsync()
    {
        var merchantApp = await NewSignedAppAsync();
        var thirdParty = await NewThirdPartyAppAsync();
        var (_, token) = await AuthorizeAsync(merchantApp.AppId, Owner, thirdParty);
        return new SharedApps(merchantApp, thirdParty, token);
    }

    /// <summary>
    /// For page rows (GETs, and POSTs that die on antiforgery): one app of the owner with a name no other app has and
    /// an AES key, one device, one application.
    /// </summary>
    public Task<PageResources> PageResourcesAsync() => _pageResources.Value;

    public sealed record PageResources(string AppId, string AppName, string AesKey, string Sn, long ApplicationId);

    private async Task<PageResources> NewPageResourcesAsync()
    {
        var name = "页面矩阵" + Guid.NewGuid().ToString("N")[..8];
        var appId = await NewAppAsync(complete: true, name: name);
        return new PageResources(appId, name, await NewAesKeyAsync(appId), await OwnedDeviceAsync(), await ApplyAsync(appId));
    }
}

/// <summary>What an arrangement knows of its row, and the resource helpers that follow the row's relation.</summary>
public sealed class RowContext(MatrixWorld world, Row row)
{
    public MatrixWorld W => world;
    public Row Row => row;
    public Rel Rel => row.Rel;
    public string? Case => row.Case;
    public bool Is(string @case) => row.Case == @case;

    /// <summary>
    /// A fresh device of <see cref="MatrixWorld.Owner"/>, with the grant the row's relation calls for:
    /// <see cref="Rel.GranteeWithPermission"/> gets <paramref name="needs"/> (any permission when None: viewing);
    /// <see cref="Rel.GranteeWithoutPermission"/> gets every other permission (for viewing: a grant that was revoked).
    /// </summary>
    public async Task<string> DeviceAsync(GrantPermissions needs = GrantPermissions.None)
    {
        var sn = await W.OwnedDeviceAsync();
        if (Rel == Rel.GranteeWithPermission)
        {
            await W.GrantAsync(sn, needs == GrantPermissions.None ? GrantPermissions.Poster : needs);
        }
        else if (Rel == Rel.GranteeWithoutPermission)
        {
            if (needs == GrantPermissions.None)
            {
                var grant = await W.GrantAsync(sn, GrantPermissions.All);
                (await W.Owner.Client.PostAsync($"/api/grants/{grant.Id}/revoke", null)).EnsureSuccessStatusCode();
            }
            else
            {
                await W.GrantAsync(sn, GrantPermissions.All & ~needs);
            }
        }
        return sn;
    }

    /// <summary>A device as <see cref="DeviceAsync"/> gives it, with a model of its own, so a filter by model finds it alone.</summary>
    public async Task<(string Sn, string Model)> ModelledDeviceAsync(GrantPermissions needs)
    {
        var sn = await DeviceAsync(needs);
        var model = "分组型号-" + Guid.NewGuid().ToString("N")[..8];
        await using var db = await W.F.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync();
        await db.Devices.Where(d => d.Sn == sn).ExecuteUpdateAsync(u => u.SetProperty(d => d.Model, model));
        return (sn, model);
    }

    public static Call Get(string url, Func<HttpResponseMessage, string, string?>? check = null) => new(url, null, check);

    public static Call Json(string url, object body, Func<HttpResponseMessage, string, string?>? check = null) =>
        new(url, JsonContent.Create(body, options: ApiClient.Json), check);

    public static Call Empty(string url, Func<HttpResponseMessage, string, string?>? check = null) => new(url, null, check);
}

/// <summary>What a gateway arrangement knows of its row.</summary>
public sealed class GatewayRowContext(MatrixWorld world, GatewayRow row)
{
    public MatrixWorld W => world;
    public GatewayRow Row => row;
    public Caller Caller => row.Caller;
    public bool Is(string @case) => row.Case == @case;

    /// <summary>The shared apps, for rows that only read.</summary>
    public async Task<GatewayCall> SharedAsync(object? biz = null, IReadOnlyDictionary<string, string>? extra = null)
    {
        var apps = await W.SharedAppsAsync();
        return new GatewayCall(apps.MerchantApp, apps.ThirdParty, apps.Token, biz, Extra: extra);
    }

    /// <summary>A fresh merchant app of the owner, and for on-behalf rows a fresh third-party app of the grantee that it authorized.</summary>
    public async Task<GatewayCall> FreshAsync(object? biz = null, IReadOnlyList<OpenApiFile>? files = null, IReadOnlyDictionary<string, string>? extra = null)
    {
        var merchantApp = await W.NewSignedAppAsync();
        if (Caller != Caller.OnBehalf)
        {
            return new GatewayCall(merchantApp, null, null, biz, files, extra);
        }
        var thirdParty = await W.NewThirdPartyAppAsync();
        var (_, token) = await W.AuthorizeAsync(merchantApp.AppId, W.Owner, thirdParty);
        return new GatewayCall(merchantApp, thirdParty, token, biz, files, extra);
    }
}
