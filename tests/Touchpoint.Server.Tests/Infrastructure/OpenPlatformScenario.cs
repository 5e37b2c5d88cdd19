using System.Net.Http.Json;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Sdk;
using Touchpoint.Server.Apps;

namespace Touchpoint.Server.Tests.Infrastructure;

/// <summary>An app made through the console API, with the private key the console handed out once.</summary>
public sealed record TestApp(string AppId, string PrivateKey, string? AesKey, TestAccount Owner);

public sealed record PlatformInfo(string PlatformPublicKey, string Gateway);

public static class OpenPlatformScenario
{
    public const string Picture = "picture_1";

    public static async Task<PlatformInfo> PlatformAsync(this TouchpointFactory f)
    {
        var op = await f.OperatorAsync();
        return await op.GetAsync<PlatformInfo>("/api/open/platform");
    }

    /// <summary>A merchant mini-program with keys, AES key and (when <paramref name="complete"/>) full basic info in <paramref name="category"/>.</summary>
    public static async Task<TestApp> NewMiniProgramAsync(this TestAccount merchant, string? category = "C01_C0101",
        bool complete = true, AppKind kind = AppKind.MiniProgram)
    {
        var app = await merchant.Client.PostAsync<AppView>("/api/open/apps", new NewApp("测试小程序", kind));
        if (complete)
        {
            var response = await merchant.Client.PutAsJsonAsync($"/api/open/apps/{app.AppId}/basic-info",
                new BasicInfoChange("测试小程序", category, "https://example.com/logo.png", "用于自动化测试的小程序简介", "0571-88880000"), ApiClient.Json);
            await response.ReadAsync<AppView>();
        }
        var key = await merchant.Client.PostAsync<KeyPair>($"/api/open/apps/{app.AppId}/key-pair", new { });
        var aes = await merchant.Client.PostAsync<AesKeyResult>($"/api/open/apps/{app.AppId}/aes-key", new { });
        return new TestApp(app.AppId, key.PrivateKey, aes.AesKey, merchant);
    }

    public static async Task<TestApp> NewThirdPartyAppAsync(this TestAccount provider)
    {
        var app = await provider.Client.PostAsync<AppView>("/api/open/apps", new NewApp("测试第三方应用", AppKind.ThirdParty));
        var key = await provider.Client.PostAsync<KeyPair>($"/api/open/apps/{app.AppId}/key-pair", new { });
        return new TestApp(app.AppId, key.PrivateKey, null, provider);
    }

    /// <summary>The merchant authorizes the third-party app; returns the app_auth_token the provider sees.</summary>
    public static async Task<string> AuthorizeAsync(this TestApp merchantApp, TestApp thirdParty)
    {
        await merchantApp.Owner.Client.PostAsync<object>($"/api/open/apps/{merchantApp.AppId}/authorizations", new ThirdPartyRef(thirdParty.AppId));
        var rows = await thirdParty.Owner.Client.GetAsync<List<AuthorizationRow>>($"/api/open/apps/{thirdParty.AppId}/authorizations");
        return rows.First(r => r.MerchantAppId == merchantApp.AppId && r.RevokedAtUtc == null).Token;
    }

    public static async Task SubscribeAsync(this TestApp app, string gatewayUrl)
    {
        (await app.Owner.Client.PutAsJsonAsync($"/api/open/apps/{app.AppId}/gateway", new UrlText(gatewayUrl))).EnsureSuccessStatusCode();
        (await app.Owner.Client.PutAsJsonAsync($"/api/open/apps/{app.AppId}/subscriptions",
            new MethodList([MemberFieldCatalogue.FieldChangedMethod]))).EnsureSuccessStatusCode();
    }

    /// <summary>The merchant's back end: Touchpoint.Sdk over the factory's in-memory HTTP.</summary>
    public static async Task<OpenApiClient> GatewayClientAsync(this TouchpointFactory f, TestApp app, HttpClient? http = null)
    {
        var platform = await f.PlatformAsync();
        return new OpenApiClient(http ?? f.CreateClient(), new OpenApiClientOptions
        {
            Gateway = new Uri(f.ClientOptions.BaseAddress, "/gateway.do"),
            AppId = app.AppId,
            PrivateKey = app.PrivateKey,
            PlatformPublicKey = platform.PlatformPublicKey,
            AesKey = app.AesKey,
        });
    }

    /// <summary>A file that starts like a PNG (the gateway checks the signature), padded to <paramref name="bytes"/>.</summary>
    public static OpenApiFile Png(int bytes = 2048, string field = Picture) =>
        new(field, "sample.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. new byte[Math.Max(0, bytes - 8)]], "image/png");

    public static Dictionary<string, string> MobileApplication(string scene = "MEMBER_REGISTER") => new()
    {
        ["api_name"] = "getPhoneNumber",
        ["field_name"] = "mobile",
        ["package_code"] = MemberFieldCatalogue.MobilePackage,
        ["scene_code"] = scene,
        ["qps_answer"] = "预计接口秒级调用量峰值：10 qps",
        ["customer_answer"] = "有自己的客服团队 5 人，能够及时响应并处理舆情",
    };

    /// <summary>
    /// A mini-program that may get phone numbers (R33): enterprise merchant, package 获取会员手机号, the mobile field
    /// approved by the operator, keys, AES key and app gateway set.
    /// </summary>
    public static async Task<TestApp> NewPhoneReadyAppAsync(this TouchpointFactory f, TestAccount? merchant = null,
        bool addPackage = true, bool approve = true, string gateway = "https://merchant.example.com/alipay/gateway")
    {
        merchant ??= await f.NewAccountAsync(Core.Accounts.AccountRole.Merchant);
        var app = await merchant.NewMiniProgramAsync();
        (await merchant.Client.PutAsJsonAsync($"/api/open/apps/{app.AppId}/gateway", new UrlText(gateway))).EnsureSuccessStatusCode();
        if (addPackage)
        {
            await merchant.Client.PostAsync<AppView>($"/api/open/apps/{app.AppId}/packages", new PackageCode(MemberFieldCatalogue.MobilePackage));
        }
        if (approve)
        {
            await f.ApproveAsync(app, MobileApplication());
        }
        return app;
    }

    /// <summary>The app's owner applies in the console, the operator approves.</summary>
    public static async Task ApproveAsync(this TouchpointFactory f, TestApp app, Dictionary<string, string> application)
    {
        var created = await app.Owner.Client.PostAsync($"/api/member-info/apps/{app.AppId}/applications", ConsoleApplicationForm(application, Png()));
        var id = (await created.ReadAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
        var op = await f.OperatorAsync();
        (await op.PostAsync($"/api/member-info/applications/{id}/approve", null)).EnsureSuccessStatusCode();
    }

    /// <summary>The console's 申请权限 form as multipart: camelCase fields and one sample file.</summary>
    public static MultipartFormDataContent ConsoleApplicationForm(Dictionary<string, string> fields, OpenApiFile file)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            var camel = string.Concat(name.Split('_').Select((w, i) => i == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
            form.Add(new StringContent(value), camel);
        }
        var part = new ByteArrayContent(file.Content);
        part.Headers.ContentType = new(file.ContentType);
        form.Add(part, file.FieldName, file.FileName);
        return form;
    }

    private sealed record KeyPair(string PrivateKey);
    private sealed record AesKeyResult(string AesKey);

    /// <summary>The merchant applies for the mobile field in the console (a picture attached); returns the application id.</summary>
    public static async Task<long> ApplyForMobileAsync(this TestApp app)
    {
        var form = ConsoleApplicationForm(MobileApplication(), Png());
        var created = await app.Owner.Client.PostAsync($"/api/member-info/apps/{app.AppId}/applications", form);
        using var doc = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        Assert.True(created.IsSuccessStatusCode, doc.RootElement.ToString());
        return doc.RootElement.GetProperty("id").GetInt64();
    }
}
