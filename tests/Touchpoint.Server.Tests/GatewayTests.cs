using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Sdk;
using Touchpoint.Server.Apps;
using Touchpoint.Server.MemberInfo;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>
/// /gateway.do through Touchpoint.Sdk (the merchant back end's client): each method of seed 002 and every error path
/// with its exact code and sub_code, each answer's signature checked against the platform key.
/// </summary>
public abstract class GatewayTests(TouchpointFactory factory)
{
    private const string Apply = "alipay.open.app.api.field.apply";

    [Fact]
    public async Task EveryMemberInfoMethodAnswersSignedWithTheFieldNamesOfSeed002()
    {
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant);
        var app = await merchant.NewMiniProgramAsync(category: "C06_C0601");
        using var client = await factory.GatewayClientAsync(app);

        var info = await client.ExecuteAsync("alipay.open.mini.baseinfo.query");
        Assert.True(info.IsSuccess, info.RawBody);
        Assert.Equal("文娱_小游戏", info.Text("category_names"));

        // Category first (R25): a mini-game may apply for nothing; switch to a restaurant category.
        Assert.Empty((await client.ExecuteAsync("alipay.open.app.api.query")).Node.GetProperty("apis").EnumerateArray());
        var modified = await client.ExecuteAsync("alipay.open.mini.baseinfo.modify", new { mini_category_ids = "C01_C0101" });
        Assert.True(modified.IsSuccess, modified.RawBody);
        Assert.Equal("C01_C0101", (await client.ExecuteAsync("alipay.open.mini.baseinfo.query")).Text("mini_category_ids"));

        var apis = (await client.ExecuteAsync("alipay.open.app.api.query")).Node.GetProperty("apis").EnumerateArray()
            .Select(a => (a.GetProperty("api_name").GetString(), a.GetProperty("field_name").GetString(), a.GetProperty("package_code").GetString())).ToList();
        Assert.Contains(("getPhoneNumber", "mobile", MemberFieldCatalogue.MobilePackage), apis);
        Assert.DoesNotContain(apis, a => a.Item2 == "cert_no");

        var scenes = await client.ExecuteAsync("alipay.open.app.api.scene.query", new { field_name = "mobile", api_name = "getPhoneNumber" });
        Assert.Equal(["MEMBER_REGISTER", "ORDER_CONTACT"],
            scenes.Node.GetProperty("auth_field_scene").EnumerateArray().Select(s => s.GetProperty("scene_code").GetString()!).ToArray());
        Assert.All(scenes.Node.GetProperty("auth_field_scene").EnumerateArray(), s => Assert.False(string.IsNullOrEmpty(s.GetProperty("scene_desc").GetString())));

        var applied = await client.ExecuteAsync(Apply, files: [OpenPlatformScenario.Png()], extra: OpenPlatformScenario.MobileApplication());
        Assert.True(applied.IsSuccess, applied.RawBody);

        var records = (await client.ExecuteAsync("alipay.open.app.api.field.query")).Node.GetProperty("auth_field_response").GetProperty("records");
        var record = Assert.Single(records.EnumerateArray());
        Assert.Equal(app.AppId, record.GetProperty("user_app_id").GetString());
        Assert.Equal("getPhoneNumber", record.GetProperty("api_name").GetString());
        Assert.Equal("mobile", record.GetProperty("field_name").GetString());
        Assert.Equal("audit", record.GetProperty("status").GetString());
        Assert.Equal(MemberFieldCatalogue.MobilePackage, record.GetProperty("package_code").GetString());
    }

    [Fact]
    public async Task OperatorDecisionIsWhatTheQueryReportsAndApprovalGrantsTheField()
    {
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant);
        var app = await merchant.NewMiniProgramAsync();
        using var client = await factory.GatewayClientAsync(app);
        await client.ExecuteAsync(Apply, files: [OpenPlatformScenario.Png()], extra: OpenPlatformScenario.MobileApplication());
        var rejectOnly = new Dictionary<string, string>(OpenPlatformScenario.MobileApplication()) { ["api_name"] = "alipay.user.info.share", ["package_code"] = MemberFieldCatalogue.MemberInfoPackage };
        await client.ExecuteAsync(Apply, files: [OpenPlatformScenario.Png()], extra: rejectOnly);

        var op = await factory.OperatorAsync();
        var queue = await op.GetAsync<List<ApplicationRow>>($"/api/member-info/applications?status=Audit&appId={app.AppId}");
        Assert.Equal(2, queue.Count);
        var approve = queue.Single(r => r.ApiName == "getPhoneNumber");
        var reject = queue.Single(r => r.ApiName == "alipay.user.info.share");
        // R31: the console shows the expected date, three working days out.
        Assert.Equal(ReviewCalendar.ExpectedBy(approve.SubmittedAtUtc), approve.ExpectedByUtc);
        (await op.PostAsync($"/api/member-info/applications/{approve.Id}/approve", null)).EnsureSuccessStatusCode();
        var noReason = await op.PostAsJsonAsync($"/api/member-info/applications/{reject.Id}/reject", new RejectReason(" "));
        Assert.Equal("驳回时请填写驳回原因，申请方会看到它", await noReason.ProblemAsync(System.Net.HttpStatusCode.BadRequest));
        (await op.PostAsJsonAsync($"/api/member-info/applications/{reject.Id}/reject", new RejectReason("示例图片未展示授权流程"))).EnsureSuccessStatusCode();
        // The merchant cannot review its own application.
        var self = await merchant.Client.PostAsync($"/api/member-info/applications/{approve.Id}/approve", null);
        Assert.Equal("只有平台运营可以审核用户信息申请", await self.ProblemAsync(System.Net.HttpStatusCode.Forbidden));

        var records = (await client.ExecuteAsync("alipay.open.app.api.field.query")).Node.GetProperty("auth_field_response").GetProperty("records")
            .EnumerateArray().ToDictionary(r => r.GetProperty("api_name").GetString()!, r => (Status: r.GetProperty("status").GetString(), Reason: r.GetProperty("reason").GetString()));
        Assert.Equal(("agree", ""), records["getPhoneNumber"]);
        Assert.Equal(("reject", "示例图片未展示授权流程"), records["alipay.user.info.share"]);

        var again = await client.ExecuteAsync(Apply, files: [OpenPlatformScenario.Png()], extra: OpenPlatformScenario.MobileApplication());
        AssertError(again, "40004", "isv.field-already-granted");
    }

    [Fact]
    public async Task ProviderAppliesOnBehalfWithAppAuthTokenAndTheApplicationTurnsInvalidWhenTheMerchantWithdraws()
    {
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant);
        var provider = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        var merchantApp = await merchant.NewMiniProgramAsync(category: null, complete: false);
        var thirdParty = await provider.NewThirdPartyAppAsync();
        var token = await merchantApp.AuthorizeAsync(thirdParty);
        using var isv = await factory.GatewayClientAsync(thirdParty);

        // Seed 002, step 1: the provider completes the merchant's basic information and category on its behalf.
        var incomplete = await isv.ExecuteAsync(Apply, appAuthToken: token, files: [OpenPlatformScenario.Png()], extra: OpenPlatformScenario.MobileApplication());
        AssertError(incomplete, "40004", "isv.mini-category-not-set");
        var modify = await isv.ExecuteAsync("alipay.open.mini.baseinfo.modify", new
        {
            app_name = "代设类目小程序", mini_category_ids = "C02_C0201", app_logo = "https://example.com/a.png",
            app_desc = "服务商代商家设置的小程序简介", service_phone = "13800000000",
        }, appAuthToken: token);
        Assert.True(modify.IsSuccess, modify.RawBody);

        var applied = await isv.ExecuteAsync(Apply, appAuthToken: token, files: [OpenPlatformScenario.Png()], extra: OpenPlatformScenario.MobileApplication("ORDER_CONTACT"));
        Assert.True(applied.IsSuccess, applied.RawBody);
        using var own = await factory.GatewayClientAsync(merchantApp);
        var seenByMerchant = (await own.ExecuteAsync("alipay.open.app.api.field.query")).Node.GetProperty("auth_field_response").GetProperty("records");
        Assert.Equal("audit", Assert.Single(seenByMerchant.EnumerateArray()).GetProperty("status").GetString());

        var authorizations = await merchant.Client.GetAsync<List<AuthorizationRow>>($"/api/open/apps/{merchantApp.AppId}/authorizations");
        Assert.Equal("", Assert.Single(authorizations).Token); // the merchant never sees the provider's credential
        (await merchant.Client.PostAsync($"/api/open/authorizations/{authorizations[0].Id}/revoke", null)).EnsureSuccessStatusCode();

        var after = (await own.ExecuteAsync("alipay.open.app.api.field.query")).Node.GetProperty("auth_field_response").GetProperty("records");
        Assert.Equal("invalid", Assert.Single(after.EnumerateArray()).GetProperty("status").GetString());
        AssertError(await isv.ExecuteAsync("alipay.open.app.api.field.query", appAuthToken: token), "20001", "aop.invalid-app-auth-token");
    }

    [Fact]
    public async Task ServiceProviderApplyingForItselfIsRefused()
    {
        var provider = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        var thirdParty = await provider.NewThirdPartyAppAsync();
        using var isv = await factory.GatewayClientAsync(thirdParty);
        var response = await isv.ExecuteAsync(Apply, files: [OpenPlatformScenario.Png()], extra: OpenPlatformScenario.MobileApplication());
        AssertError(response, "40006", "isv.insufficient-isv-permissions");
        Assert.Equal("Insufficient Permissions", response.Msg);
    }

    [Fact]
    public async Task CategoryThatDoesNotAllowTheFieldIsRejectedAtOnce()
    {
        var app = await (await factory.NewAccountAsync(AccountRole.Merchant)).NewMiniProgramAsync(category: "C01_C0101");
        using var client = await factory.GatewayClientAsync(app);
        var cert = new Dictionary<string, string>(OpenPlatformScenario.MobileApplication())
        {
            ["api_name"] = "alipay.user.info.share", ["field_name"] = "cert_no", ["package_code"] = MemberFieldCatalogue.MemberInfoPackage, ["scene_code"] = "REAL_NAME_VERIFY",
        };
        var response = await client.ExecuteAsync(Apply, files: [OpenPlatformScenario.Png()], extra: cert);
        AssertError(response, "40004", "isv.category-not-allowed");
        Assert.Contains("餐饮_餐厅", response.SubMsg);
        AssertError(await client.ExecuteAsync(Apply, files: [OpenPlatformScenario.Png()], extra: OpenPlatformScenario.MobileApplication("DELIVERY")),
            "40004", "isv.scene-not-allowed");
        AssertError(await client.ExecuteAsync("alipay.open.app.api.scene.query", new { field_name = "cert_no", api_name = "alipay.user.info.share" }),
            "40004", "isv.category-not-allowed");
    }

    [Fact]
    public async Task ApplicationNeedsCompleteBasicInfoEveryAnswerAndAtMostTenMegabytesPerSample()
    {
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant);
        var bare = await merchant.NewMiniProgramAsync(complete: false);
        using (var bareClient = await factory.GatewayClientAsync(bare))
        {
            await bareClient.ExecuteAsync("alipay.open.mini.baseinfo.modify", new { mini_category_ids = "C01_C0101" });
            AssertError(await bareClient.ExecuteAsync(Apply, files: [OpenPlatformScenario.Png()], extra: OpenPlatformScenario.MobileApplication()),
                "40004", "isv.mini-baseinfo-incomplete");
        }

        var app = await merchant.NewMiniProgramAsync();
        using var client = await factory.GatewayClientAsync(app);
        var noQps = OpenPlatformScenario.MobileApplication();
        noQps.Remove("qps_answer");
        var missing = await client.ExecuteAsync(Apply, files: [OpenPlatformScenario.Png()], extra: noQps);
        AssertError(missing, "40001", "isv.missing-parameter");
        Assert.Contains("qps_answer", missing.SubMsg);
        AssertError(await client.ExecuteAsync(Apply, extra: OpenPlatformScenario.MobileApplication()), "40002", "isv.missing-sample-media");
        var tooBig = await client.ExecuteAsync(Apply, files: [OpenPlatformScenario.Png((int)FieldApplicationRules.MaxMediaBytes + 1, "picture_2")],
            extra: OpenPlatformScenario.MobileApplication());
        AssertError(tooBig, "40002", "isv.file-size-exceed");
        Assert.Contains("picture_2", tooBig.SubMsg);
        var html = new OpenApiFile("picture_1", "x.png", "<html><script>alert(1)</script></html>"u8.ToArray(), "image/png");
        var disguised = await client.ExecuteAsync(Apply, files: [html], extra: OpenPlatformScenario.MobileApplication());
        AssertError(disguised, "40002", "isv.invalid-file-type");
        // Exactly 10 MB is allowed; then a second application for the same field waits for the first.
        Assert.True((await client.ExecuteAsync(Apply, files: [OpenPlatformScenario.Png((int)FieldApplicationRules.MaxMediaBytes)],
            extra: OpenPlatformScenario.MobileApplication())).IsSuccess);
        AssertError(await client.ExecuteAsync(Apply, files: [OpenPlatformScenario.Png()], extra: OpenPlatformScenario.MobileApplication()),
            "40004", "isv.application-in-audit");
        AssertError(await client.ExecuteAsync("alipay.open.app.api.scene.query", new { field_name = "mobile" }), "40001", "isv.missing-parameter");
    }

    [Fact]
    public async Task EncryptedRequestsGetEncryptedSignedAnswers()
    {
        var app = await (await factory.NewAccountAsync(AccountRole.Merchant)).NewMiniProgramAsync();
        using var client = await factory.GatewayClientAsync(app);
        var response = await client.ExecuteAsync("alipay.open.app.api.scene.query", new { field_name = "mobile", api_name = "getPhoneNumber" }, encrypt: true);
        Assert.True(response.IsSuccess, response.RawBody);
        Assert.Equal(2, response.Node.GetProperty("auth_field_scene").GetArrayLength());
        // On the wire the node is a string: the ciphertext, signed with its quotes.
        using var raw = JsonDocument.Parse(response.RawBody);
        Assert.Equal(JsonValueKind.String, raw.RootElement.GetProperty("alipay_open_app_api_scene_query_response").ValueKind);

        // A wrong key usually fails the padding check, but about one in 256 passes it and yields garbage: both are
        // the same mistake and get the same answer. Both cases are picked on purpose so the test never depends on luck.
        var answers = new List<string>();
        foreach (var paddingChecksOut in new[] { false, true })
        {
            var cipher = CipherFromAWrongKey(app.AesKey!, paddingChecksOut);
            var parameters = await SignedAsync(app, "alipay.open.app.api.query", cipher, extra: new() { ["encrypt_type"] = "AES" });
            var error = await SendAsync(app, "alipay.open.app.api.query", parameters);
            AssertError(error, "40002", "isv.invalid-encrypt");
            answers.Add(error.SubMsg ?? "");
        }
        // One answer for every failed decryption: telling bad padding from bad content would be a padding oracle.
        Assert.Single(answers.Distinct());
    }

    [Fact]
    public async Task TamperedSignatureWrongKeyUnknownAppUnknownMethodAndStaleTimestampAreRefusedWithSignedErrors()
    {
        var app = await (await factory.NewAccountAsync(AccountRole.Merchant)).NewMiniProgramAsync();
        const string method = "alipay.open.app.api.query";

        var tampered = await SignedAsync(app, method, "{}");
        tampered["biz_content"] = "{\"x\":1}";
        var bad = await SendAsync(app, method, tampered);
        AssertError(bad, "40002", "isv.invalid-signature");
        Assert.Contains("app_id=" + app.AppId, bad.SubMsg); // Alipay shows the string it verified

        using var stranger = RSA.Create(2048);
        var wrongKey = await SignedAsync(app, method, "{}", signer: stranger);
        AssertError(await SendAsync(app, method, wrongKey), "40002", "isv.invalid-signature");

        var unknownApp = await SignedAsync(app, method, "{}", extra: new() { ["app_id"] = "2026000000000000" });
        AssertError(await SendAsync(app, method, unknownApp), "40002", "isv.invalid-app-id");

        var unknownMethod = await SignedAsync(app, "alipay.open.nothing.here", "{}");
        AssertError(await SendAsync(app, "alipay.open.nothing.here", unknownMethod), "40002", "isv.invalid-method");

        var stale = await SignedAsync(app, method, "{}", timestampUtc: DateTime.UtcNow.AddHours(-1));
        AssertError(await SendAsync(app, method, stale), "40002", "isv.invalid-timestamp");

        var gbk = await SignedAsync(app, method, "{}", extra: new() { ["charset"] = "GBK" });
        AssertError(await SendAsync(app, method, gbk), "40002", "isv.invalid-charset");

        var malformed = await SignedAsync(app, method, "{not json");
        AssertError(await SendAsync(app, method, malformed), "40002", "isv.invalid-biz-content");

        var unsigned = await SignedAsync(app, method, "{}");
        unsigned.Remove("sign");
        AssertError(await SendAsync(app, method, unsigned), "40001", "isv.missing-signature");

        var noTimestamp = await SignedAsync(app, method, "{}");
        noTimestamp.Remove("timestamp");
        AssertError(await SendAsync(app, method, noTimestamp), "40001", "isv.missing-timestamp");

        var badToken = await SignedAsync(app, method, "{}", extra: new() { ["app_auth_token"] = "202611BBnotatoken" });
        AssertError(await SendAsync(app, method, badToken), "20001", "aop.invalid-app-auth-token");

        // Without a method the node is error_response, still signed by the platform.
        var noMethod = await SignedAsync(app, method, "{}");
        noMethod.Remove("method");
        var http = factory.CreateClient();
        var body = await (await http.PostAsync("/gateway.do", new FormUrlEncodedContent(noMethod))).Content.ReadAsStringAsync();
        using var client = await factory.GatewayClientAsync(app);
        var error = client.Verify("error", body);
        Assert.Equal(("40001", "isv.missing-method"), (error.Code, error.SubCode));
    }

    [Fact]
    public async Task ConcurrentIdenticalApplicationsLeaveExactlyOneInReview()
    {
        var app = await (await factory.NewAccountAsync(AccountRole.Merchant)).NewMiniProgramAsync();
        using var client = await factory.GatewayClientAsync(app);
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            client.ExecuteAsync(Apply, files: [OpenPlatformScenario.Png()], extra: OpenPlatformScenario.MobileApplication())));
        Assert.Single(answers, a => a.IsSuccess);
        Assert.All(answers.Where(a => !a.IsSuccess), a => AssertError(a, "40004", "isv.application-in-audit"));
        var records = (await client.ExecuteAsync("alipay.open.app.api.field.query")).Node.GetProperty("auth_field_response").GetProperty("records");
        Assert.Single(records.EnumerateArray());
    }

    [Fact]
    public async Task AnUnexpectedFailureIs20000SignedAndTheNextCallIsServed()
    {
        var app = await (await factory.NewAccountAsync(AccountRole.Merchant)).NewMiniProgramAsync();
        using var broken = factory.WithWebHostBuilder(b => b.UseSetting("DeviceChannel:Enabled", "false")
            .ConfigureServices(s => s.AddSingleton<OpenApi.IGatewayMethod, ThrowingMethod>()));
        using var client = await factory.GatewayClientAsync(app, broken.CreateClient());
        var failed = await client.ExecuteAsync(ThrowingMethod.MethodName);
        AssertError(failed, "20000", "isp.unknow-error");
        Assert.DoesNotContain("disk on fire", failed.RawBody); // internals stay in the log
        Assert.True((await client.ExecuteAsync("alipay.open.app.api.query")).IsSuccess);
    }

    private sealed class ThrowingMethod : OpenApi.IGatewayMethod
    {
        public const string MethodName = "touchpoint.test.explode";
        public string Name => MethodName;
        public Task<System.Text.Json.Nodes.JsonObject> ExecuteAsync(OpenApi.GatewayCall call, CancellationToken ct) =>
            throw new InvalidOperationException("disk on fire");
    }

    [Fact]
    public async Task GetRequestsWithEverythingInTheQueryStringWorkToo()
    {
        var app = await (await factory.NewAccountAsync(AccountRole.Merchant)).NewMiniProgramAsync();
        var parameters = await SignedAsync(app, "alipay.open.app.api.query", "{}");
        var query = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var body = await factory.CreateClient().GetStringAsync("/gateway.do?" + query);
        using var client = await factory.GatewayClientAsync(app);
        Assert.True(client.Verify("alipay.open.app.api.query", body).IsSuccess, body);
    }

    [Fact]
    public async Task MerchantConsoleAppliesWithTheSameRulesAndAServiceProviderCannot()
    {
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant);
        var app = await merchant.NewMiniProgramAsync(category: "C06_C0601");
        var form = OpenPlatformScenario.ConsoleApplicationForm(OpenPlatformScenario.MobileApplication(), OpenPlatformScenario.Png());
        var refused = await merchant.Client.PostAsync($"/api/member-info/apps/{app.AppId}/applications", form);
        Assert.Contains("不支持申请手机号", await refused.ProblemAsync(System.Net.HttpStatusCode.BadRequest));

        var provider = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        var template = await provider.Client.PostAsync<AppView>("/api/open/apps", new NewApp("模板", AppKind.Template));
        var own = await provider.Client.PostAsync($"/api/member-info/apps/{template.AppId}/applications",
            OpenPlatformScenario.ConsoleApplicationForm(OpenPlatformScenario.MobileApplication(), OpenPlatformScenario.Png()));
        Assert.Contains("服务商不能为自己的账号申请用户信息", await own.ProblemAsync(System.Net.HttpStatusCode.Forbidden));
        // Someone else's app is simply not there.
        var foreign = await provider.Client.PostAsync($"/api/member-info/apps/{app.AppId}/applications",
            OpenPlatformScenario.ConsoleApplicationForm(OpenPlatformScenario.MobileApplication(), OpenPlatformScenario.Png()));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, foreign.StatusCode);
    }

    /// <summary>"{}" encrypted with some other key, chosen so that decrypting with the app's key does or does not pass PKCS7.</summary>
    private static string CipherFromAWrongKey(string appKey, bool paddingChecksOut)
    {
        for (var i = 0; ; i++)
        {
            var wrongKey = Convert.ToBase64String(SHA256.HashData(BitConverter.GetBytes(i))[..16]);
            var cipher = AesContent.Encrypt("{}", wrongKey);
            bool passes;
            try
            {
                AesContent.Decrypt(cipher, appKey);
                passes = true;
            }
            catch (CryptographicException)
            {
                passes = false;
            }
            if (passes == paddingChecksOut)
            {
                return cipher;
            }
        }
    }

    private static void AssertError(OpenApiResponse response, string code, string subCode)
    {
        Assert.True((code, subCode) == (response.Code, response.SubCode), response.RawBody);
        Assert.False(string.IsNullOrEmpty(response.SubMsg));
    }

    private async Task<Dictionary<string, string>> SignedAsync(TestApp app, string method, string biz, RSA? signer = null,
        Dictionary<string, string>? extra = null, DateTime? timestampUtc = null)
    {
        var parameters = new Dictionary<string, string>
        {
            ["app_id"] = app.AppId, ["method"] = method, ["charset"] = "utf-8", ["version"] = "1.0", ["sign_type"] = "RSA2",
            ["timestamp"] = (timestampUtc ?? DateTime.UtcNow).AddHours(8).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["biz_content"] = biz,
        };
        foreach (var (key, value) in extra ?? [])
        {
            parameters[key] = value;
        }
        using var own = RsaKeys.ImportPrivateKey(app.PrivateKey);
        parameters["sign"] = AlipaySignature.Sign(AlipaySignature.RequestContent(parameters), signer ?? own);
        await Task.CompletedTask;
        return parameters;
    }

    private async Task<OpenApiResponse> SendAsync(TestApp app, string method, Dictionary<string, string> parameters)
    {
        var http = factory.CreateClient();
        var response = await http.PostAsync("/gateway.do", new FormUrlEncodedContent(parameters));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var client = await factory.GatewayClientAsync(app);
        return client.Verify(method, await response.Content.ReadAsStringAsync());
    }
}

public sealed class SqliteGatewayTests(SqliteFactory f) : GatewayTests(f), IClassFixture<SqliteFactory>;
public sealed class PostgresGatewayTests(PostgresFactory f) : GatewayTests(f), IClassFixture<PostgresFactory>;
