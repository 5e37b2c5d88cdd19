using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.MemberInfo;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>The server on a real loopback port, for clients that cannot use the in-memory test server (node).</summary>
public sealed class KestrelSqliteFixture : IDisposable
{
    public SqliteFactory Factory { get; } = new();

    public KestrelSqliteFixture()
    {
        Factory.UseKestrel(0);
        Factory.StartServer();
    }

    public void Dispose() => Factory.Dispose();
}

/// <summary>
/// The official alipay-sdk (npm, 4.x) against the gateway, unchanged: exec of every member-info method with
/// validateSign, an on-behalf call with appAuthToken, a picture upload, AES requests, and checkNotifySign on a
/// notification the server delivered.
/// </summary>
public sealed class AlipaySdkClientTests(KestrelSqliteFixture fx) : IClassFixture<KestrelSqliteFixture>
{
    private TouchpointFactory Factory => fx.Factory;

    [Fact]
    public async Task ExecOfEveryMethodPassesTheSdksOwnSignatureCheck()
    {
        var app = await (await Factory.NewAccountAsync(AccountRole.Merchant)).NewMiniProgramAsync(category: "C05_C0501");
        var picture = await PictureFileAsync();

        var info = await ExecAsync(app, "alipay.open.mini.baseinfo.query");
        Assert.Equal("生活服务_快递物流", info.GetProperty("categoryNames").GetString());
        await ExecAsync(app, "alipay.open.mini.baseinfo.modify", new { mini_category_ids = "C03_C0301" });
        var apis = await ExecAsync(app, "alipay.open.app.api.query");
        Assert.Contains(apis.GetProperty("apis").EnumerateArray(), a => a.GetProperty("fieldName").GetString() == "cert_no");
        var scenes = await ExecAsync(app, "alipay.open.app.api.scene.query", new { field_name = "cert_no", api_name = "alipay.user.info.share" });
        Assert.Equal(["REAL_NAME_VERIFY", "INSURANCE_ENROLL"], scenes.GetProperty("authFieldScene").EnumerateArray().Select(s => s.GetProperty("sceneCode").GetString()!).ToArray());
        var apply = new Dictionary<string, string>(OpenPlatformScenario.MobileApplication())
        {
            ["api_name"] = "alipay.user.info.share", ["field_name"] = "cert_no", ["package_code"] = MemberFieldCatalogue.MemberInfoPackage, ["scene_code"] = "INSURANCE_ENROLL",
        };
        await ExecAsync(app, "alipay.open.app.api.field.apply", fields: apply, files: [new { field = "picture_1", name = "sample.png", path = picture }]);
        var records = await ExecAsync(app, "alipay.open.app.api.field.query");
        var record = Assert.Single(records.GetProperty("authFieldResponse").GetProperty("records").EnumerateArray());
        Assert.Equal("cert_no", record.GetProperty("fieldName").GetString());
        Assert.Equal("audit", record.GetProperty("status").GetString());

        // Business errors are signed too: the SDK verifies them and hands back code and sub_code.
        var again = await ExecAsync(app, "alipay.open.app.api.field.apply", fields: apply, files: [new { field = "picture_1", name = "sample.png", path = picture }], expectSuccess: false);
        Assert.Equal(("40004", "isv.application-in-audit"), (again.GetProperty("code").GetString(), again.GetProperty("subCode").GetString()));
    }

    [Fact]
    public async Task ProviderCallsOnBehalfWithAppAuthTokenIncludingAPictureUpload()
    {
        var merchantApp = await (await Factory.NewAccountAsync(AccountRole.Merchant)).NewMiniProgramAsync();
        var thirdParty = await (await Factory.NewAccountAsync(AccountRole.ServiceProvider)).NewThirdPartyAppAsync();
        var token = await merchantApp.AuthorizeAsync(thirdParty);

        var info = await ExecAsync(thirdParty, "alipay.open.mini.baseinfo.query", appAuthToken: token);
        Assert.Equal("测试小程序", info.GetProperty("appName").GetString());
        await ExecAsync(thirdParty, "alipay.open.app.api.field.apply", appAuthToken: token, fields: OpenPlatformScenario.MobileApplication(),
            files: [new { field = "picture_1", name = "sample.png", path = await PictureFileAsync() }]);
        var records = await ExecAsync(thirdParty, "alipay.open.app.api.field.query", appAuthToken: token);
        Assert.Equal(merchantApp.AppId, Assert.Single(records.GetProperty("authFieldResponse").GetProperty("records").EnumerateArray()).GetProperty("userAppId").GetString());

        var self = await ExecAsync(thirdParty, "alipay.open.app.api.field.apply", fields: OpenPlatformScenario.MobileApplication(),
            files: [new { field = "picture_1", name = "sample.png", path = await PictureFileAsync() }], expectSuccess: false);
        Assert.Equal(("40006", "isv.insufficient-isv-permissions"), (self.GetProperty("code").GetString(), self.GetProperty("subCode").GetString()));
    }

    [Fact]
    public async Task AesEncryptedRequestsAreDecryptedAndAnsweredEncrypted()
    {
        var app = await (await Factory.NewAccountAsync(AccountRole.Merchant)).NewMiniProgramAsync();
        // PROTOCOL.md §7: the SDK cannot check the signature of an encrypted answer, so it only decrypts here;
        // GatewayTests checks that signature with Touchpoint.Sdk.
        var scenes = await ExecAsync(app, "alipay.open.app.api.scene.query", new { field_name = "mobile", api_name = "getPhoneNumber" }, encrypt: true);
        Assert.Equal("MEMBER_REGISTER", scenes.GetProperty("authFieldScene")[0].GetProperty("sceneCode").GetString());
    }

    [Fact]
    public async Task CheckNotifySignAcceptsTheDeliveredNotification()
    {
        await using var receiver = await NotificationReceiver.StartAsync();
        var merchant = await Factory.NewAccountAsync(AccountRole.Merchant);
        var app = await merchant.NewMiniProgramAsync();
        await app.SubscribeAsync(receiver.Url);
        await ExecAsync(app, "alipay.open.app.api.field.apply", fields: OpenPlatformScenario.MobileApplication(),
            files: [new { field = "picture_1", name = "sample.png", path = await PictureFileAsync() }]);
        var op = await Factory.OperatorAsync();
        var application = Assert.Single(await op.GetAsync<List<ApplicationRow>>($"/api/member-info/applications?appId={app.AppId}"));
        (await op.PostAsync($"/api/member-info/applications/{application.Id}/approve", null)).EnsureSuccessStatusCode();

        var notification = Assert.Single(await receiver.WaitForAsync(1));
        var platform = await Factory.PlatformAsync();
        var check = await NodeAlipaySdk.RunAsync(new { op = "checkNotifySign", privateKey = app.PrivateKey, alipayPublicKey = platform.PlatformPublicKey, postData = notification.Form });
        Assert.True(check.GetProperty("valid").GetBoolean());
        Assert.True(check.GetProperty("validV2").GetBoolean());
        var forged = new Dictionary<string, string>(notification.Form) { ["biz_content"] = notification.Form["biz_content"].Replace("agree", "reject") };
        var bad = await NodeAlipaySdk.RunAsync(new { op = "checkNotifySign", privateKey = app.PrivateKey, alipayPublicKey = platform.PlatformPublicKey, postData = forged });
        Assert.False(bad.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task DistributionMethodsWorkThroughTheOfficialSdk()
    {
        var merchant = await Factory.NewAccountAsync(AccountRole.Merchant);
        var app = await merchant.NewMiniProgramAsync();
        var sns = await Factory.OnboardAsync(merchant, 2);
        var catalogue = await merchant.NewAppAsync(name: "SDK分发应用");
        var package = "com.touchpoint.sdk" + Guid.NewGuid().ToString("N")[..6];
        await merchant.PublishApkAsync(catalogue.AppId, package, 10, "1.0.0");
        await merchant.PublishApkAsync(catalogue.AppId, package, 20, "2.0.0");

        // Alipay's own method: nothing installed yet, so every device is skipped with the reason — and the SDK verifies the sign.
        var upgrade = await ExecAsync(app, "alipay.commerce.iot.device.upgradeapp.create",
            new { sn = sns, target_app_id = catalogue.AppId, target_app_version = "2.0.0", remark = "SDK 升级" });
        Assert.Equal(2, upgrade.GetProperty("skippedList").GetArrayLength());
        Assert.All(upgrade.GetProperty("skippedList").EnumerateArray(), s => Assert.Equal("NOT_INSTALLED", s.GetProperty("reasonCode").GetString()));

        var created = await ExecAsync(app, "alipay.commerce.iot.device.apptask.create",
            new { action = "INSTALL", sn_list = sns, app_list = new[] { new { app_id = catalogue.AppId, app_version = "1.0.0" } }, first_wave_count = "1", start = "false" });
        var taskId = created.GetProperty("taskId").GetString()!;
        Assert.Equal(("DRAFT", 2), (created.GetProperty("status").GetString(), created.GetProperty("pendingCount").GetInt32()));
        var started = await ExecAsync(app, "alipay.commerce.iot.device.apptask.operate", new { task_id = taskId, operation = "START" });
        Assert.Equal("RUNNING", started.GetProperty("status").GetString());
        var query = await ExecAsync(app, "alipay.commerce.iot.device.apptask.query", new { task_id = taskId });
        Assert.Equal(2, query.GetProperty("deviceCount").GetInt32());
        var details = await ExecAsync(app, "alipay.commerce.iot.device.apptask.detail.batchquery", new { task_id = taskId, status = "PENDING", page_size = "10" });
        Assert.Equal(2, details.GetProperty("total").GetInt32());
        Assert.Equal(sns.Order().ToArray(), details.GetProperty("detailList").EnumerateArray().Select(d => d.GetProperty("sn").GetString()!).Order().ToArray());
        var diagnosis = await ExecAsync(app, "alipay.commerce.iot.device.appdistribution.diagnose", new { sn = sns[0], app_id = catalogue.AppId });
        Assert.Contains("等待执行", diagnosis.GetProperty("summary").GetString());
        var cancelled = await ExecAsync(app, "alipay.commerce.iot.device.apptask.operate", new { task_id = taskId, operation = "CANCEL" });
        Assert.Equal(("CANCELLED", 2), (cancelled.GetProperty("status").GetString(), cancelled.GetProperty("cancelCount").GetInt32()));

        var foreign = await ExecAsync(app, "alipay.commerce.iot.device.apptask.query", new { task_id = "999999999" }, expectSuccess: false);
        Assert.Equal(("40004", "isv.resource-not-exist"), (foreign.GetProperty("code").GetString(), foreign.GetProperty("subCode").GetString()));
    }

    [Fact]
    public async Task TradeMethodsWorkThroughTheOfficialSdkAndItsNotificationCheck()
    {
        var merchant = await Factory.NewAccountAsync(AccountRole.Merchant);
        var app = await merchant.NewMiniProgramAsync();
        var sn = (await Factory.OnboardAsync(merchant, 1))[0];
        var member = await Factory.NewMemberAsync();
        await using var receiver = await NotificationReceiver.StartAsync();

        // Payment code at the terminal, notified to the merchant's back end.
        var order = PaymentScenario.NewOrderNo();
        var paid = await ExecAsync(app, "alipay.trade.pay", new
        {
            out_trade_no = order, scene = "bar_code", auth_code = await Factory.PaymentCodeAsync(member.UserId), total_amount = "88.80",
            subject = "SDK 付款码", terminal_id = sn, notify_url = receiver.Url,
        });
        Assert.Equal(("88.80", member.UserId), (paid.GetProperty("totalAmount").GetString(), paid.GetProperty("buyerUserId").GetString()));
        var query = await ExecAsync(app, "alipay.trade.query", new { out_trade_no = order });
        Assert.Equal("TRADE_SUCCESS", query.GetProperty("tradeStatus").GetString());
        var refund = await ExecAsync(app, "alipay.trade.refund", new { out_trade_no = order, refund_amount = "8.80", out_request_no = "SDK-R1" });
        Assert.Equal("Y", refund.GetProperty("fundChange").GetString());
        var refundQuery = await ExecAsync(app, "alipay.trade.fastpay.refund.query", new { out_trade_no = order, out_request_no = "SDK-R1" });
        Assert.Equal("8.80", refundQuery.GetProperty("refundAmount").GetString());

        var platform = await Factory.PlatformAsync();
        var delivered = await receiver.WaitForAsync(2);
        foreach (var notification in delivered)
        {
            var check = await NodeAlipaySdk.RunAsync(new { op = "checkNotifySign", privateKey = app.PrivateKey, alipayPublicKey = platform.PlatformPublicKey, postData = notification.Form });
            Assert.True(check.GetProperty("valid").GetBoolean(), notification.RawBody);
        }
        Assert.Equal(["TRADE_SUCCESS", "TRADE_SUCCESS"], delivered.Select(d => d.Form["trade_status"]).ToArray());
        Assert.Equal("8.80", delivered[1].Form["refund_fee"]);
        var forged = new Dictionary<string, string>(delivered[0].Form) { ["total_amount"] = "0.01" };
        Assert.False((await NodeAlipaySdk.RunAsync(new { op = "checkNotifySign", privateKey = app.PrivateKey, alipayPublicKey = platform.PlatformPublicKey, postData = forged }))
            .GetProperty("valid").GetBoolean());

        // QR code: closed unpaid; paid and cancelled (refunded).
        var pre = await ExecAsync(app, "alipay.trade.precreate", new { out_trade_no = PaymentScenario.NewOrderNo(), total_amount = "5.00", subject = "SDK 扫码" });
        await ExecAsync(app, "alipay.trade.close", new { out_trade_no = pre.GetProperty("outTradeNo").GetString() });
        var scanned = await ExecAsync(app, "alipay.trade.precreate", new { out_trade_no = PaymentScenario.NewOrderNo(), total_amount = "6.00", subject = "SDK 扫码" });
        await Factory.RuntimeAsync("/scan", new Touchpoint.Server.Payments.RuntimeScan(scanned.GetProperty("qrCode").GetString(), member.UserId));
        var cancel = await ExecAsync(app, "alipay.trade.cancel", new { out_trade_no = scanned.GetProperty("outTradeNo").GetString() });
        Assert.Equal("refund", cancel.GetProperty("action").GetString());

        // A service provider's own cashier: initialize the face SDK, the member looks at the camera, pay with the ftoken.
        var init = await ExecAsync(app, "zoloz.authentication.customer.smilepay.initialize", new { zimmetainfo = JsonSerializer.Serialize(new { sn, appName = "sdk" }) });
        var zimId = JsonDocument.Parse(init.GetProperty("result").GetString()!).RootElement.GetProperty("zimId").GetString();
        var face = await Factory.FaceAsync(sn, member.UserId);
        var ftoken = face.GetProperty("ftoken").GetString()!;
        var uid = await ExecAsync(app, "zoloz.authentication.customer.ftoken.query", new { ftoken, zim_id = zimId, biz_type = "1" });
        Assert.Equal(member.UserId, uid.GetProperty("uid").GetString());
        await ExecAsync(app, "alipay.trade.pay", new { out_trade_no = PaymentScenario.NewOrderNo(), scene = "security_code", auth_code = ftoken, total_amount = "12.00", subject = "SDK 刷脸", product_code = "FACE_TO_FACE_PAYMENT" });

        // 10003: the member still has to confirm; the SDK verifies the answer's sign all the same.
        var waiting = await ExecAsync(app, "alipay.trade.pay", new
        {
            out_trade_no = PaymentScenario.NewOrderNo(), scene = "bar_code", auth_code = await Factory.PaymentCodeAsync(member.UserId), total_amount = "2500.00", subject = "SDK 大额",
        }, expectSuccess: false);
        Assert.Equal("10003", waiting.GetProperty("code").GetString());
        var declined = await ExecAsync(app, "alipay.trade.pay", new { out_trade_no = order, scene = "bar_code", auth_code = "289999999999999999", total_amount = "1.00", subject = "改过" }, expectSuccess: false);
        Assert.Equal(("40004", "ACQ.CONTEXT_INCONSISTENT"), (declined.GetProperty("code").GetString(), declined.GetProperty("subCode").GetString()));
    }

    [Fact]
    public async Task AdvertiserMethodsPutAPosterOnALiveAgentThroughTheOfficialSdk()
    {
        var merchant = await Factory.NewAccountAsync(AccountRole.Merchant, "SDK海报商户");
        var app = await merchant.NewMiniProgramAsync();
        var sns = await Factory.OnboardAsync(merchant, 1);
        using var stop = new CancellationTokenSource();
        var (agents, runs) = await Factory.StartAgentsAsync(merchant, sns, stop.Token);
        await merchant.AdminModeAsync(sns[0], true);
        var path = Path.Combine(Factory.Folder, $"poster-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(path, TestImages.Png(400));

        // The upload is the SDK's multipart form, with the file under Alipay's field name.
        var material = await ExecAsync(app, "alipay.commerce.iot.advertiser.material.create", fields: [], files: [new { field = "file_content", name = "双十二.png", path }]);
        var materialId = material.GetProperty("id").GetInt64();
        using (var image = await new HttpClient().GetAsync(material.GetProperty("materialUrl").GetString()))
        {
            Assert.Equal(await File.ReadAllBytesAsync(path), await image.Content.ReadAsByteArrayAsync());
        }
        var created = await ExecAsync(app, "alipay.commerce.iot.advertiser.ad.create", new
        {
            device_sn_list = sns, device_type = "FACE_DEVICE", @event = "idle", material_id = materialId, plan_name = "SDK 双十二",
            start_time = "2026-01-01 00:00:00", end_time = "2099-01-01 00:00:00",
        });
        var planId = created.GetProperty("id").GetInt64();
        await DeviceChannelScenario.WaitUntilAsync(() => agents[0].OnAirPosterId == materialId, TimeSpan.FromSeconds(30));

        var query = await ExecAsync(app, "alipay.commerce.iot.advertiser.ad.query", new { id = planId });
        Assert.Equal(("VALID", "SDK 双十二", sns[0]), (query.GetProperty("status").GetString(), query.GetProperty("planName").GetString(),
            query.GetProperty("deviceSnList")[0].GetString()));
        var batch = await ExecAsync(app, "alipay.commerce.iot.advertiser.ad.batchquery", new { page_num = 1, page_size = 10 });
        Assert.Equal(1, batch.GetProperty("total").GetInt32());
        // The troubleshooting tool names the gateway path and the merchant behind it.
        var trace = await merchant.Client.GetAsync<JsonElement>($"/api/tools/posters/?sn={sns[0]}");
        Assert.Contains("开放接口投放", trace.ToString());

        await ExecAsync(app, "alipay.commerce.iot.advertiser.ad.cancel", new { id = planId });
        var cancelled = await ExecAsync(app, "alipay.commerce.iot.advertiser.ad.query", new { id = planId });
        Assert.Equal(("CANCEL", 0), (cancelled.GetProperty("status").GetString(), cancelled.GetProperty("deviceSnList").GetArrayLength()));
        await DeviceChannelScenario.WaitUntilAsync(() => agents[0].OnAirPosterId is null, TimeSpan.FromSeconds(30));
        var again = await ExecAsync(app, "alipay.commerce.iot.advertiser.ad.cancel", new { id = planId }, expectSuccess: false);
        Assert.Equal("40004", again.GetProperty("code").GetString());
        await stop.CancelAsync();
        await Task.WhenAll(runs);
    }

    private async Task<JsonElement> ExecAsync(TestApp app, string method, object? biz = null, string? appAuthToken = null,
        Dictionary<string, string>? fields = null, object[]? files = null, bool encrypt = false, bool expectSuccess = true)
    {
        var platform = await Factory.PlatformAsync();
        var output = await NodeAlipaySdk.RunAsync(new
        {
            op = "exec",
            gateway = new Uri(Factory.ClientOptions.BaseAddress, "/gateway.do").ToString(),
            appId = app.AppId,
            privateKey = app.PrivateKey,
            alipayPublicKey = platform.PlatformPublicKey,
            encryptKey = app.AesKey,
            method,
            bizContent = biz,
            appAuthToken,
            needEncrypt = encrypt,
            validateSign = !encrypt,
            fields,
            files,
        });
        var result = output.GetProperty("result");
        if (expectSuccess)
        {
            Assert.True(result.GetProperty("code").GetString() == "10000", result.ToString());
        }
        return result;
    }

    private async Task<string> PictureFileAsync()
    {
        var path = Path.Combine(Factory.Folder, $"sample-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(path, OpenPlatformScenario.Png(4096).Content);
        return path;
    }
}

/// <summary>R35 cross-checks: the official SDK reads and trusts the platform's phone-number payload, and back.</summary>
public sealed class AlipaySdkPhoneNumberTests(KestrelSqliteFixture fx) : IClassFixture<KestrelSqliteFixture>
{
    [Fact]
    public async Task OfficialSdkVerifiesTheQuotedCiphertextAndDecryptsTheNumber()
    {
        var app = await fx.Factory.NewPhoneReadyAppAsync();
        var member = Touchpoint.Server.Members.SimulatedMembers.All[1];
        var client = fx.Factory.CreateClient();
        var code = (await (await client.PostAsJsonAsync("/runtime/authorize", new { app_id = app.AppId, user_id = member.UserId, scopes = "phoneNumber" }))
            .ReadAsync<JsonElement>()).GetProperty("auth_code").GetString();
        var payload = (await (await client.PostAsJsonAsync("/runtime/phone-number", new { app_id = app.AppId, auth_code = code }))
            .ReadAsync<JsonElement>()).GetProperty("response").GetString()!;
        using var doc = JsonDocument.Parse(payload);
        var response = doc.RootElement.GetProperty("response").GetString()!;
        var sign = doc.RootElement.GetProperty("sign").GetString()!;
        var platform = await fx.Factory.PlatformAsync();

        var check = await NodeAlipaySdk.RunAsync(new { op = "rsaCheck", privateKey = app.PrivateKey, alipayPublicKey = platform.PlatformPublicKey, content = $"\"{response}\"", sign });
        Assert.True(check.GetProperty("valid").GetBoolean());
        var tampered = await NodeAlipaySdk.RunAsync(new { op = "rsaCheck", privateKey = app.PrivateKey, alipayPublicKey = platform.PlatformPublicKey, content = $"\"{response[..^4]}\"", sign });
        Assert.False(tampered.GetProperty("valid").GetBoolean());
        var plain = await NodeAlipaySdk.RunAsync(new { op = "aesDecrypt", privateKey = app.PrivateKey, key = app.AesKey, cipher = response });
        using var decrypted = JsonDocument.Parse(plain.GetProperty("plain").GetString()!);
        Assert.Equal("10000", decrypted.RootElement.GetProperty("code").GetString());
        Assert.Equal(member.Mobile, decrypted.RootElement.GetProperty("mobile").GetString());
    }

    [Fact]
    public async Task TouchpointSdkDecryptsWhatTheOfficialSdkEncrypts()
    {
        var key = Touchpoint.Sdk.AesContent.GenerateKey();
        var app = await (await fx.Factory.NewAccountAsync(AccountRole.Merchant)).NewMiniProgramAsync();
        var encrypted = await NodeAlipaySdk.RunAsync(new { op = "aesEncrypt", privateKey = app.PrivateKey, key, data = new { mobile = "17000000001", note = "中文备注" } });
        var plain = Touchpoint.Sdk.AesContent.Decrypt(encrypted.GetProperty("cipher").GetString()!, key);
        Assert.Equal("{\"mobile\":\"17000000001\",\"note\":\"中文备注\"}", plain);
    }

    [Fact]
    public async Task OauthTokenAndUserInfoShareThroughTheOfficialSdk()
    {
        var app = await fx.Factory.NewPhoneReadyAppAsync();
        await fx.Factory.ApproveAsync(app, new Dictionary<string, string>(OpenPlatformScenario.MobileApplication())
        {
            ["api_name"] = "alipay.user.info.share", ["package_code"] = MemberFieldCatalogue.MemberInfoPackage,
        });
        var member = Touchpoint.Server.Members.SimulatedMembers.All[2];
        var code = (await (await fx.Factory.CreateClient().PostAsJsonAsync("/runtime/authorize", new { app_id = app.AppId, user_id = member.UserId, scopes = "auth_user" }))
            .ReadAsync<JsonElement>()).GetProperty("auth_code").GetString();
        var platform = await fx.Factory.PlatformAsync();
        var gateway = new Uri(fx.Factory.ClientOptions.BaseAddress, "/gateway.do").ToString();

        var token = (await NodeAlipaySdk.RunAsync(new
        {
            op = "execParams", gateway, appId = app.AppId, privateKey = app.PrivateKey, alipayPublicKey = platform.PlatformPublicKey,
            method = "alipay.system.oauth.token", @params = new { grantType = "authorization_code", code },
        })).GetProperty("result");
        Assert.Equal(member.UserId, token.GetProperty("userId").GetString());
        var info = (await NodeAlipaySdk.RunAsync(new
        {
            op = "execParams", gateway, appId = app.AppId, privateKey = app.PrivateKey, alipayPublicKey = platform.PlatformPublicKey,
            method = "alipay.user.info.share", @params = new { authToken = token.GetProperty("accessToken").GetString() },
        })).GetProperty("result");
        Assert.Equal("10000", info.GetProperty("code").GetString());
        Assert.Equal(member.Mobile, info.GetProperty("mobile").GetString());
        Assert.False(info.TryGetProperty("certNo", out _));
    }
}
