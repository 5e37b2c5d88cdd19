using Touchpoint.Server.Common;
using System.Text.Json.Nodes;
using Touchpoint.Core.Members;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.MemberInfo;
using Touchpoint.Server.OpenApi;

namespace Touchpoint.Server.Members;

/// <summary>alipay.system.oauth.token: an auth code (or a refresh token) for an access token.</summary>
public sealed class OAuthTokenMethod(MemberAuthService auth) : IGatewayMethod
{
    public string Name => "alipay.system.oauth.token";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var grantType = call.Required("grant_type");
        var tokens = grantType switch
        {
            "authorization_code" => await auth.ExchangeCodeAsync(call.TargetAppId, call.Text("code"), ct),
            "refresh_token" => await auth.RefreshAsync(call.TargetAppId, call.Text("refresh_token"), ct),
            _ => throw OpenPlatformViolation.Invalid("isv.grant-type-invalid", $"grant_type {grantType} 无效，应为 authorization_code 或 refresh_token"),
        };
        return new JsonObject
        {
            ["user_id"] = tokens.UserId,
            ["access_token"] = tokens.AccessToken,
            ["expires_in"] = tokens.ExpiresIn,
            ["refresh_token"] = tokens.RefreshToken,
            ["re_expires_in"] = tokens.ReExpiresIn,
            ["auth_start"] = ChinaTime.Format(tokens.AuthStartUtc),
        };
    }
}

/// <summary>
/// alipay.user.info.share (R14): the member's basic profile plus exactly the privacy fields the app's approved
/// applications for this API allow.
/// </summary>
public sealed class UserInfoShareMethod(MemberAuthService auth, FieldApplicationService applications) : IGatewayMethod
{
    public const string Api = "alipay.user.info.share";
    public string Name => Api;

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var (member, scopes) = await auth.ResolveAsync(call.TargetAppId, call.Parameters.GetValueOrDefault("auth_token"), ct);
        if (!scopes.HasFlag(MemberScope.User))
        {
            throw OpenPlatformViolation.Permission("isv.insufficient-isv-permissions", "会员授权范围不含 auth_user，不能获取会员信息");
        }
        var granted = await applications.GrantedFieldsAsync(call.TargetAppId, Api, ct);
        if (granted.Count == 0)
        {
            throw OpenPlatformViolation.Permission("isv.insufficient-isv-permissions",
                "ISV权限不足：应用没有审核通过的会员信息字段（用户信息申请 > alipay.user.info.share）");
        }
        var result = new JsonObject
        {
            ["user_id"] = member.UserId,
            ["nick_name"] = member.NickName,
            ["gender"] = member.Gender,
            ["province"] = member.Province,
            ["city"] = member.City,
        };
        foreach (var field in granted)
        {
            result[field] = field switch
            {
                "mobile" => member.Mobile,
                "user_name" => member.UserName,
                "cert_no" => member.CertNo,
                "address" => member.Address,
                _ => null,
            };
        }
        return result;
    }
}
