using System.Text.Json;
using Touchpoint.Core.Grants;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Tests.Infrastructure;
using static Touchpoint.Server.Tests.Authorization.Caller;
using static Touchpoint.Server.Tests.Authorization.GatewayCodes;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>
/// /gateway.do, one block per method. A signed call acts for the signing app, or with app_auth_token for the merchant
/// app that authorized the signer; unknown apps and unsigned calls get no further than the door. The device methods
/// act under the merchant's device permissions: on behalf, only for devices the merchant granted that provider.
/// </summary>
public static class GatewayMatrix
{
    private const string BaseinfoQuery = "alipay.open.mini.baseinfo.query";
    private const string BaseinfoModify = "alipay.open.mini.baseinfo.modify";
    private const string ApiQuery = "alipay.open.app.api.query";
    private const string SceneQuery = "alipay.open.app.api.scene.query";
    private const string FieldApply = "alipay.open.app.api.field.apply";
    private const string FieldQuery = "alipay.open.app.api.field.query";
    private const string OAuthToken = "alipay.system.oauth.token";
    private const string UserInfoShare = "alipay.user.info.share";
    private const string NetworkQuery = "alipay.merchant.iot.device.network.query";
    private const string SimQuery = "alipay.merchant.iot.simcard.query";

    private const string TokenRefused = "20001";
    private const string BadAppId = "isv.invalid-app-id";
    private const string NoSign = "isv.missing-signature";
    private const string BadSign = "isv.invalid-signature";
    private const string BadAppToken = "aop.invalid-app-auth-token";

    private const string OtherProvidersToken = "token authorized to another provider's app";
    private const string RevokedToken = "token the merchant revoked";
    private const string WrongKey = "signed with another app's private key";
    private const string ProviderForItself = "provider's third-party app applying for itself";
    private const string OtherAppsCode = "auth code of another app";
    private const string OtherAppsToken = "auth_token of another app";
    private const string NoApprovedField = "no approved field";
    private const string OtherMerchantsDevice = "another merchant's device";
    private const string Granted = "device the merchant granted to the provider";
    private const string NotGranted = "merchant's device, not granted to the provider";
    private const string ProvidersOwnDevice = "the provider's own device";

    public static readonly IReadOnlyList<GatewayRow> Rows =
    [
        //  method          caller      code          sub_code       case
        new(BaseinfoQuery,  OwnApp,     Ok),
        new(BaseinfoQuery,  OwnApp,     Invalid,      BadSign,       WrongKey),
        new(BaseinfoQuery,  OnBehalf,   Ok),
        new(BaseinfoQuery,  OnBehalf,   TokenRefused, BadAppToken,   OtherProvidersToken),
        new(BaseinfoQuery,  OnBehalf,   TokenRefused, BadAppToken,   RevokedToken),
        new(BaseinfoQuery,  UnknownApp, Invalid,      BadAppId),
        new(BaseinfoQuery,  Unsigned,   Missing,      NoSign),
        new(BaseinfoModify, OwnApp,     Ok),
        new(BaseinfoModify, OnBehalf,   Ok),
        new(BaseinfoModify, OnBehalf,   TokenRefused, BadAppToken,   OtherProvidersToken),
        new(BaseinfoModify, UnknownApp, Invalid,      BadAppId),
        new(BaseinfoModify, Unsigned,   Missing,      NoSign),
        new(ApiQuery,       OwnApp,     Ok),
        new(ApiQuery,       OnBehalf,   Ok),
        new(ApiQuery,       UnknownApp, Invalid,      BadAppId),
        new(ApiQuery,       Unsigned,   Missing,      NoSign),
        new(SceneQuery,     OwnApp,     Ok),
        new(SceneQuery,     OnBehalf,   Ok),
        new(SceneQuery,     UnknownApp, Invalid,      BadAppId),
        new(SceneQuery,     Unsigned,   Missing,      NoSign),
        new(FieldApply,     OwnApp,     Ok),
        new(FieldApply,     OwnApp,     Insufficient, NoPermission,  ProviderForItself),
        new(FieldApply,     OnBehalf,   Ok),
        new(FieldApply,     OnBehalf,   TokenRefused, BadAppToken,   OtherProvidersToken),
        new(FieldApply,     UnknownApp, Invalid,      BadAppId),
        new(FieldApply,     Unsigned,   Missing,      NoSign),
        new(FieldQuery,     OwnApp,     Ok),
        new(FieldQuery,     OnBehalf,   Ok),
        new(FieldQuery,     UnknownApp, Invalid,      BadAppId),
        new(FieldQuery,     Unsigned,   Missing,      NoSign),
        new(OAuthToken,     OwnApp,     Ok),
        new(OAuthToken,     OwnApp,     Invalid,      "isv.code-invalid", OtherAppsCode),
        new(OAuthToken,     OnBehalf,   Ok),
        new(OAuthToken,     UnknownApp, Invalid,      BadAppId),
        new(OAuthToken,     Unsigned,   Missing,      NoSign),
        new(UserInfoShare,  OwnApp,     Ok),
        new(UserInfoShare,  OwnApp,     TokenRefused, "aop.invalid-auth-token", OtherAppsToken),
        new(UserInfoShare,  OwnApp,     Insufficient, NoPermission,  NoApprovedField),
        new(UserInfoShare,  OnBehalf,   Ok),
        new(UserInfoShare,  UnknownApp, Invalid,      BadAppId),
        new(UserInfoShare,  Unsigned,   Missing,      NoSign),
        new(NetworkQuery,   OwnApp,     Ok),
        new(NetworkQuery,   OwnApp,     Insufficient, NoPermission,  OtherMerchantsDevice),
        new(NetworkQuery,   OnBehalf,   Ok,           null,          Granted),
        new(NetworkQuery,   OnBehalf,   Insufficient, NoPermission,  NotGranted),
        new(NetworkQuery,   OnBehalf,   Insufficient, NoPermission,  ProvidersOwnDevice),
        new(NetworkQuery,   UnknownApp, Invalid,      BadAppId),
        new(NetworkQuery,   Unsigned,   Missing,      NoSign),
        new(SimQuery,       OwnApp,     Ok),
        new(SimQuery,       OwnApp,     Insufficient, NoPermission,  OtherMerchantsDevice),
        new(SimQuery,       OnBehalf,   Ok,           null,          Granted),
        new(SimQuery,       OnBehalf,   Insufficient, NoPermission,  NotGranted),
        new(SimQuery,       OnBehalf,   Insufficient, NoPermission,  ProvidersOwnDevice),
        new(SimQuery,       UnknownApp, Invalid,      BadAppId),
        new(SimQuery,       Unsigned,   Missing,      NoSign),
        .. DistributionGatewayMatrix.Rows,
        .. PaymentsGatewayMatrix.Rows,
        .. PostersGatewayMatrix.Rows,
        .. GiftsGatewayMatrix.Rows,
        .. BroadcastsGatewayMatrix.Rows,
    ];

    public static IReadOnlyDictionary<string, ArrangeGateway> Arrangements { get; } = Own.Concat(DistributionGatewayMatrix.Arrangements).Concat(PaymentsGatewayMatrix.Arrangements).Concat(PostersGatewayMatrix.Arrangements).Concat(GiftsGatewayMatrix.Arrangements).Concat(BroadcastsGatewayMatrix.Arrangements)
        .ToDictionary(p => p.Key, p => p.Value);

    private static IReadOnlyDictionary<string, ArrangeGateway> Own => new Dictionary<string, ArrangeGateway>
    {
        [BaseinfoQuery] = async g =>
        {
            if (g.Is(WrongKey))
            {
                var shared = await g.W.SharedAppsAsync();
                return new GatewayCall(shared.MerchantApp with { PrivateKey = shared.ThirdParty.PrivateKey });
            }
            return await TokenCaseAsync(g) ?? await g.SharedAsync();
        },
        [BaseinfoModify] = async g => await TokenCaseAsync(g, new { app_desc = "网关修改的小程序简介" })
            ?? await g.FreshAsync(new { app_desc = "网关修改的小程序简介" }),
        [ApiQuery] = g => g.SharedAsync(),
        [SceneQuery] = g => g.SharedAsync(new { field_name = "mobile", api_name = "getPhoneNumber" }),
        [FieldApply] = async g =>
        {
            var files = new[] { OpenPlatformScenario.Png() };
            var extra = OpenPlatformScenario.MobileApplication();
            if (g.Is(ProviderForItself))
            {
                var shared = await g.W.SharedAppsAsync();
                return new GatewayCall(shared.ThirdParty, Files: files, Extra: extra);
            }
            return await TokenCaseAsync(g, files: files, extra: extra) ?? await g.FreshAsync(files: files, extra: extra);
        },
        [FieldQuery] = g => g.SharedAsync(),
        [OAuthToken] = async g =>
        {
            var shared = await g.W.SharedAppsAsync();
            var codeFor = g.Is(OtherAppsCode) ? shared.ThirdParty.AppId : shared.MerchantApp.AppId;
            return await g.SharedAsync(new { grant_type = "authorization_code", code = await g.W.AuthCodeAsync(codeFor) });
        },
        [UserInfoShare] = async g =>
        {
            if (g.Is(OtherAppsToken) || g.Is(NoApprovedField))
            {
                var token = g.Is(OtherAppsToken) ? await g.W.AccessTokenAsync(await g.W.NewSignedAppAsync(g.W.Other))
                    : await g.W.AccessTokenAsync((await g.W.SharedAppsAsync()).MerchantApp);
                return await g.SharedAsync(extra: new Dictionary<string, string> { ["auth_token"] = token });
            }
            // The merchant's app got alipay.user.info.share's mobile field approved; the member consented to auth_user.
            var call = await g.FreshAsync();
            var fields = new Dictionary<string, string>(OpenPlatformScenario.MobileApplication())
            {
                ["api_name"] = UserInfoShare, ["package_code"] = MemberFieldCatalogue.MemberInfoPackage,
            };
            await g.W.ApproveAsync(await g.W.ApplyAsync(call.MerchantApp.AppId, fields: fields));
            return call with { Extra = new Dictionary<string, string> { ["auth_token"] = await g.W.AccessTokenAsync(call.MerchantApp) } };
        },
        [NetworkQuery] = g => DeviceCallAsync(g, sim: false),
        [SimQuery] = g => DeviceCallAsync(g, sim: true),
    };

    /// <summary>On-behalf rows whose token is wrong: another provider's app signs with this provider's token, or the merchant revoked it.</summary>
    private static async Task<GatewayCall?> TokenCaseAsync(GatewayRowContext g, object? biz = null, IReadOnlyList<Touchpoint.Sdk.OpenApiFile>? files = null,
        IReadOnlyDictionary<string, string>? extra = null)
    {
        if (g.Is(OtherProvidersToken))
        {
            var shared = await g.W.SharedAppsAsync();
            var intruder = await g.W.NewThirdPartyAppAsync(g.W.Stranger);
            return new GatewayCall(shared.MerchantApp, intruder, shared.Token, biz, files, extra);
        }
        if (g.Is(RevokedToken))
        {
            var call = await g.FreshAsync(biz, files, extra);
            var rows = await g.W.Owner.Client.GetAsync<List<JsonElement>>($"/api/open/apps/{call.MerchantApp.AppId}/authorizations");
            (await g.W.Owner.Client.PostAsync($"/api/open/authorizations/{rows[0].GetProperty("id").GetInt64()}/revoke", null)).EnsureSuccessStatusCode();
            return call;
        }
        return null;
    }

    /// <summary>The shared apps (the owner's app, the grantee's third-party app it authorized) asking about a device per the row's case.</summary>
    private static async Task<GatewayCall> DeviceCallAsync(GatewayRowContext g, bool sim)
    {
        string sn;
        if (g.Is(OtherMerchantsDevice))
        {
            sn = (await g.W.SubmitAsync(g.W.Other, 1, decide: true)).Sns[0];
        }
        else if (g.Is(ProvidersOwnDevice))
        {
            sn = (await g.W.SubmitAsync(g.W.Grantee, 1, decide: true)).Sns[0];
        }
        else
        {
            sn = await g.W.OwnedDeviceAsync();
            if (g.Is(Granted))
            {
                await g.W.GrantAsync(sn, GrantPermissions.Poster);
            }
        }
        if (sim)
        {
            await g.W.GiveSimAsync(sn);
        }
        return await g.SharedAsync(new { device_sn = sn });
    }
}
