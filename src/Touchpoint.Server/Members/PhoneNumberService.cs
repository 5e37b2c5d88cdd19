using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Members;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Sdk;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.MemberInfo;
using Touchpoint.Server.OpenApi;

namespace Touchpoint.Server.Members;

/// <summary>What my.getPhoneNumber hands the mini-program: <see cref="Response"/> is the JSON string it passes to its back end.</summary>
public sealed record PhoneNumberPayload(string Response, PayloadProtection Protection);

/// <summary>
/// my.getPhoneNumber (R33–R36, PROTOCOL.md §5): after the member's consent, the plaintext
/// <c>{"code":"10000","msg":"Success","mobile":"…"}</c> is AES-encrypted with the app's key and signed by the platform
/// over the quoted ciphertext, or degraded as the seed warns when the app's keys or gateway are missing.
/// </summary>
public sealed class PhoneNumberService(IDbContextFactory<TouchpointDb> factory, MemberAuthService auth,
    FieldApplicationService applications, PlatformKeyring keyring, Security.SecretBox secrets)
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Checks the app may ask (R33, 40006 otherwise) — before the member is even asked to consent.</summary>
    public async Task<DeveloperApp> CheckAllowedAsync(string appId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await (from a in db.DeveloperApps.AsNoTracking()
                         join o in db.Accounts on a.OwnerId equals o.Id
                         where a.AppId == appId
                         select new { App = a, o.Role, o.MerchantKind }).SingleOrDefaultAsync(ct)
            ?? throw OpenPlatformViolation.Invalid("isv.invalid-app-id", $"无效的 AppID 参数 {appId}");
        var approved = await applications.HasFieldAsync(row.App.Id, PhoneNumberRules.ApiName, PhoneNumberRules.FieldName, ct);
        PhoneNumberRules.CheckAllowed(row.App, row.MerchantKind, row.Role, approved);
        return row.App;
    }

    /// <summary>Spends the member's auth code (scope phoneNumber) and builds the payload.</summary>
    public async Task<PhoneNumberPayload> GetAsync(string appId, string? authCode, CancellationToken ct = default)
    {
        var app = await CheckAllowedAsync(appId, ct);
        var (member, scopes) = await auth.RedeemAsync(app.Id, authCode, ct);
        if (!scopes.HasFlag(MemberScope.PhoneNumber))
        {
            throw OpenPlatformViolation.Permission("isv.insufficient-isv-permissions", "会员未授权获取手机号（scope 不含 phoneNumber）");
        }
        return Build(app, member.Mobile);
    }

    public PhoneNumberPayload Build(DeveloperApp app, string mobile)
    {
        var plain = JsonSerializer.Serialize(new { code = "10000", msg = "Success", mobile }, Json);
        var protection = PhoneNumberRules.ProtectionFor(app);
        var aesKey = secrets.OpenOrNull(app.AesKey);
        object payload = protection switch
        {
            PayloadProtection.Plain => new { response = plain, charset = "UTF-8" },
            PayloadProtection.EncryptedUnsigned => new { response = AesContent.Encrypt(plain, aesKey!), encrypt_type = "AES", charset = "UTF-8" },
            _ => Signed(AesContent.Encrypt(plain, aesKey!)),
        };
        return new PhoneNumberPayload(JsonSerializer.Serialize(payload, Json), protection);
    }

    private object Signed(string cipher) => new
    {
        response = cipher,
        // The sign covers the ciphertext with its double quotes, as in an encrypted gateway answer.
        sign = AlipaySignature.Sign(Encoding.UTF8.GetBytes("\"" + cipher + "\""), keyring.PrivateKey),
        sign_type = "RSA2",
        encrypt_type = "AES",
        charset = "UTF-8",
    };
}
