using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Members;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Sdk;
using Touchpoint.Server.Demo;
using Touchpoint.Server.Members;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>R33–R36: the phone number of a consenting member, as an encrypted signed payload the back end can trust.</summary>
public abstract class PhoneNumberTests(TouchpointFactory factory)
{
    private static readonly Member Zhang = SimulatedMembers.All[0];

    [Fact]
    public async Task ConsentingMemberYieldsAPayloadThatOnlyTheBackEndCanReadAndItsSignatureProvesTheOrigin()
    {
        var app = await factory.NewPhoneReadyAppAsync();
        var payload = await PhoneNumberAsync(app, await ConsentAsync(app, Zhang.UserId, "phoneNumber"));

        using var doc = JsonDocument.Parse(payload);
        Assert.Equal("RSA2", doc.RootElement.GetProperty("sign_type").GetString());
        Assert.Equal("AES", doc.RootElement.GetProperty("encrypt_type").GetString());
        Assert.DoesNotContain(Zhang.Mobile, payload);
        using var decryptor = new PhoneNumberDecryptor((await factory.PlatformAsync()).PlatformPublicKey, app.AesKey!);
        Assert.Equal(Zhang.Mobile, decryptor.Decrypt(payload));

        // Tampered, truncated or re-signed payloads get a clear error, never a number.
        var response = doc.RootElement.GetProperty("response").GetString()!;
        var sign = doc.RootElement.GetProperty("sign").GetString()!;
        Assert.Contains("验签失败", Assert.Throws<PhoneNumberException>(() => decryptor.Decrypt(response[..^4], sign)).Message);
        Assert.Contains("验签失败", Assert.Throws<PhoneNumberException>(() => decryptor.Decrypt(AesContent.Encrypt("{\"code\":\"10000\",\"mobile\":\"13900000000\"}", app.AesKey!), sign)).Message);
        Assert.Contains("没有 sign", Assert.Throws<PhoneNumberException>(() => decryptor.Decrypt(response, null)).Message);
        Assert.Contains("不是 JSON", Assert.Throws<PhoneNumberException>(() => decryptor.Decrypt(payload[..20])).Message);
    }

    [Fact]
    public async Task AnAuthCodeWorksOnceAndOnlyForItsApp()
    {
        var app = await factory.NewPhoneReadyAppAsync();
        var other = await factory.NewPhoneReadyAppAsync();
        var code = await ConsentAsync(app, Zhang.UserId, "phoneNumber");
        var foreign = await PhoneResponseAsync(other, code);
        Assert.Equal(("40002", "isv.code-invalid"), await ErrorAsync(foreign, HttpStatusCode.BadRequest));
        await PhoneNumberAsync(app, code);
        Assert.Equal(("40002", "isv.code-invalid"), await ErrorAsync(await PhoneResponseAsync(app, code), HttpStatusCode.BadRequest));
        var userOnly = await ConsentAsync(app, Zhang.UserId, "auth_user");
        Assert.Equal(("40006", "isv.insufficient-isv-permissions"), await ErrorAsync(await PhoneResponseAsync(app, userOnly), HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task WithoutThePackageTheApprovalOrAnEnterpriseAccountItIs40006NamingWhatIsMissing()
    {
        var noPackage = await factory.NewPhoneReadyAppAsync(addPackage: false);
        var body = await (await PhoneResponseAsync(noPackage, await ConsentAsync(noPackage, Zhang.UserId, "phoneNumber"))).Content.ReadAsStringAsync();
        using (var doc = JsonDocument.Parse(body))
        {
            Assert.Equal("40006", doc.RootElement.GetProperty("code").GetString());
            Assert.Equal("Insufficient Permissions", doc.RootElement.GetProperty("msg").GetString());
            Assert.Equal("isv.insufficient-isv-permissions", doc.RootElement.GetProperty("subCode").GetString());
            Assert.Contains("获取会员手机号", doc.RootElement.GetProperty("subMsg").GetString());
        }

        var notApproved = await factory.NewPhoneReadyAppAsync(approve: false);
        var pending = await (await PhoneResponseAsync(notApproved, await ConsentAsync(notApproved, Zhang.UserId, "phoneNumber"))).Content.ReadAsStringAsync();
        Assert.Contains("尚未审核通过", pending);

        // 李记便利店 is an individual merchant (个体工商户): the API is for enterprise accounts only.
        var shop = new TestAccount(0, DemoAccounts.IndividualMerchant, "", await factory.LoginAsync(DemoAccounts.IndividualMerchant));
        var individual = await factory.NewPhoneReadyAppAsync(shop);
        var refused = await (await PhoneResponseAsync(individual, await ConsentAsync(individual, Zhang.UserId, "phoneNumber"))).Content.ReadAsStringAsync();
        Assert.Contains("仅支持企业支付宝账号", refused);
    }

    [Fact]
    public async Task WithoutAesKeyOrGatewayThePayloadHasAResponseButNoSign()
    {
        var noGateway = await factory.NewPhoneReadyAppAsync(gateway: "");
        var unsigned = await PhoneNumberAsync(noGateway, await ConsentAsync(noGateway, Zhang.UserId, "phoneNumber"));
        using (var doc = JsonDocument.Parse(unsigned))
        {
            Assert.False(doc.RootElement.TryGetProperty("sign", out _));
            Assert.Equal("AES", doc.RootElement.GetProperty("encrypt_type").GetString());
        }
        using var decryptor = new PhoneNumberDecryptor((await factory.PlatformAsync()).PlatformPublicKey, noGateway.AesKey!);
        Assert.Contains("没有 sign", Assert.Throws<PhoneNumberException>(() => decryptor.Decrypt(unsigned)).Message);
    }

    [Fact]
    public async Task PayloadsMadeBeforeAnAesKeyRotationFailClearlyAndNewOnesWork()
    {
        var app = await factory.NewPhoneReadyAppAsync();
        var before = await PhoneNumberAsync(app, await ConsentAsync(app, Zhang.UserId, "phoneNumber"));
        var rotated = (await app.Owner.Client.PostAsync<JsonElement>($"/api/open/apps/{app.AppId}/aes-key", new { })).GetProperty("aesKey").GetString()!;
        var platformKey = (await factory.PlatformAsync()).PlatformPublicKey;
        using var withNewKey = new PhoneNumberDecryptor(platformKey, rotated);
        Assert.Contains("AES 密钥与加密时不一致", Assert.Throws<PhoneNumberException>(() => withNewKey.Decrypt(before)).Message);
        var after = await PhoneNumberAsync(app, await ConsentAsync(app, Zhang.UserId, "phoneNumber"));
        Assert.Equal(Zhang.Mobile, withNewKey.Decrypt(after));
    }

    [Fact]
    public async Task UserInfoShareReturnsExactlyTheApprovedFieldsAndTokensRefresh()
    {
        var app = await factory.NewPhoneReadyAppAsync();
        using var client = await factory.GatewayClientAsync(app);
        var code = await ConsentAsync(app, Zhang.UserId, "auth_user");
        var token = await client.ExecuteAsync("alipay.system.oauth.token", extra: new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = code });
        Assert.True(token.IsSuccess, token.RawBody);
        Assert.Equal(Zhang.UserId, token.Text("user_id"));
        var accessToken = token.Text("access_token")!;

        // Only getPhoneNumber.mobile is approved: alipay.user.info.share has no approved field yet.
        var none = await client.ExecuteAsync("alipay.user.info.share", extra: new Dictionary<string, string> { ["auth_token"] = accessToken });
        Assert.Equal(("40006", "isv.insufficient-isv-permissions"), (none.Code, none.SubCode));

        await factory.ApproveAsync(app, new Dictionary<string, string>(OpenPlatformScenario.MobileApplication())
        {
            ["api_name"] = "alipay.user.info.share", ["package_code"] = MemberFieldCatalogue.MemberInfoPackage,
        });
        var info = await client.ExecuteAsync("alipay.user.info.share", extra: new Dictionary<string, string> { ["auth_token"] = accessToken });
        Assert.True(info.IsSuccess, info.RawBody);
        Assert.Equal(Zhang.Mobile, info.Text("mobile"));
        Assert.Equal(Zhang.NickName, info.Text("nick_name"));
        Assert.Null(info.Text("cert_no"));
        Assert.Null(info.Text("user_name"));

        var refreshed = await client.ExecuteAsync("alipay.system.oauth.token", extra: new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = token.Text("refresh_token")! });
        Assert.True(refreshed.IsSuccess, refreshed.RawBody);
        Assert.NotEqual(accessToken, refreshed.Text("access_token"));
        var reused = await client.ExecuteAsync("alipay.system.oauth.token", extra: new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = token.Text("refresh_token")! });
        Assert.Equal(("40002", "isv.refresh-token-invalid"), (reused.Code, reused.SubCode));
        var stale = await client.ExecuteAsync("alipay.user.info.share", extra: new Dictionary<string, string> { ["auth_token"] = accessToken });
        Assert.Equal(("20001", "aop.invalid-auth-token"), (stale.Code, stale.SubCode));
        var fresh = await client.ExecuteAsync("alipay.user.info.share", extra: new Dictionary<string, string> { ["auth_token"] = refreshed.Text("access_token")! });
        Assert.True(fresh.IsSuccess, fresh.RawBody);
        var again = await client.ExecuteAsync("alipay.system.oauth.token", extra: new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = code });
        Assert.Equal(("40002", "isv.code-invalid"), (again.Code, again.SubCode));
    }

    private async Task<string> ConsentAsync(TestApp app, string userId, string scopes)
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/runtime/authorize", new { app_id = app.AppId, user_id = userId, scopes });
        return (await response.ReadAsync<JsonElement>()).GetProperty("auth_code").GetString()!;
    }

    private Task<HttpResponseMessage> PhoneResponseAsync(TestApp app, string code) =>
        factory.CreateClient().PostAsJsonAsync("/runtime/phone-number", new { app_id = app.AppId, auth_code = code });

    private async Task<string> PhoneNumberAsync(TestApp app, string code) =>
        (await (await PhoneResponseAsync(app, code)).ReadAsync<JsonElement>()).GetProperty("response").GetString()!;

    private static async Task<(string, string)> ErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, body);
        using var doc = JsonDocument.Parse(body);
        return (doc.RootElement.GetProperty("code").GetString()!, doc.RootElement.GetProperty("subCode").GetString()!);
    }
}

public sealed class SqlitePhoneNumberTests(SqliteFactory f) : PhoneNumberTests(f), IClassFixture<SqliteFactory>;
public sealed class PostgresPhoneNumberTests(PostgresFactory f) : PhoneNumberTests(f), IClassFixture<PostgresFactory>;
