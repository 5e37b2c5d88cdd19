using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Audit;
using Touchpoint.Core.Common;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Sdk;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Audit;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.OpenApi;

namespace Touchpoint.Server.Apps;

/// <summary>Basic information as the console form or alipay.open.mini.baseinfo.modify sends it; null leaves a field as is.</summary>
public sealed record BasicInfoChange(string? AppName = null, string? CategoryId = null, string? LogoUrl = null,
    string? Description = null, string? ServicePhone = null, string? ServiceEmail = null);

public sealed record AuthorizationRow(long Id, string MerchantAppId, string MerchantAppName, string MerchantName,
    string ThirdPartyAppId, string ThirdPartyAppName, string ProviderName, string Token, DateTime CreatedAtUtc, DateTime? RevokedAtUtc);

/// <summary>我的应用: apps, their keys and settings, and merchants' authorizations of third-party apps.</summary>
/// <summary>A new 商家授权; <see cref="AppAuthToken"/> is in this answer and, later, in the provider's view only.</summary>
public sealed record NewAuthorization(long Id, DateTime CreatedAtUtc, string AppAuthToken);

public sealed partial class AppService(IDbContextFactory<TouchpointDb> factory, TimeProvider clock, AppDirectory directory,
    Security.SecretBox secrets, Security.OutboundUrlPolicy outbound)
{
    public static readonly IReadOnlyList<string> KnownNotifications = [MemberFieldCatalogue.FieldChangedMethod];

    public async Task<IReadOnlyList<DeveloperApp>> ListMineAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.DeveloperApps.AsNoTracking().Where(a => a.OwnerId == actor.Id).OrderBy(a => a.Id).ToListAsync(ct);
    }

    /// <summary>An app its owner (or the operator) may see; anyone else gets the same "not found" as a missing app.</summary>
    public async Task<DeveloperApp> GetAsync(Actor actor, string appId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var app = await db.DeveloperApps.AsNoTracking().SingleOrDefaultAsync(a => a.AppId == appId, ct);
        if (app is null || (app.OwnerId != actor.Id && !actor.Is(AccountRole.Operator)))
        {
            throw TouchpointException.NotFound($"应用 {appId} 不存在或不属于当前账号");
        }
        return app;
    }

    public async Task<DeveloperApp> CreateAsync(Actor actor, string? name, AppKind kind, CancellationToken ct = default)
    {
        if (!AppKinds.CreatableBy(actor.Role).Contains(kind))
        {
            throw TouchpointException.Forbidden(actor.Is(AccountRole.ServiceProvider)
                ? "服务商可以创建第三方应用或模板小程序"
                : actor.Is(AccountRole.Merchant) ? "商家可以创建小程序或网页/移动应用" : "当前账号不能创建应用");
        }
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 40)
        {
            throw TouchpointException.Invalid("请填写应用名称（不超过 40 个字）");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        for (var attempt = 0; ; attempt++)
        {
            var app = new DeveloperApp
            {
                AppId = NewAppId(now),
                OwnerId = actor.Id,
                Name = name,
                Kind = kind,
                CreatedAtUtc = now,
                UpdatedAtUtc = now,
            };
            db.DeveloperApps.Add(app);
            AuditLog.Add(db, clock, actor.Id, AuditAction.AppCreated, actor.Id, null, $"创建{kind.ChineseName()}「{name}」（{app.AppId}）");
            try
            {
                await db.SaveChangesAsync(ct);
                return app;
            }
            catch (DbUpdateException e) when (attempt < 3 && e.IsUniqueViolation())
            {
                // An app_id collision (1 in 10^12); draw again.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>Console edit of basic information; the owner only.</summary>
    public Task<DeveloperApp> UpdateBasicInfoAsync(Actor actor, string appId, BasicInfoChange change, CancellationToken ct = default) =>
        MutateAsync(actor, appId, app => ApplyBasicInfo(app, change), ct);

    /// <summary>Shared by the console and alipay.open.mini.baseinfo.modify: one set of rules, one set of messages.</summary>
    public static void ApplyBasicInfo(DeveloperApp app, BasicInfoChange change)
    {
        if (!app.Kind.HasBasicInfo())
        {
            throw OpenPlatformViolation.Business("isv.app-type-not-supported", $"{app.Kind.ChineseName()}没有小程序基础信息");
        }
        if (change is { AppName: null, CategoryId: null, LogoUrl: null, Description: null, ServicePhone: null, ServiceEmail: null })
        {
            throw OpenPlatformViolation.Missing("app_name、mini_category_ids、app_logo、app_desc、service_phone 或 service_email 至少一项");
        }
        if (change.AppName is { } name)
        {
            name = name.Trim();
            if (name.Length is < 2 or > 20)
            {
                throw OpenPlatformViolation.Invalid("isv.invalid-app-name", "小程序名称应为 2~20 个字");
            }
            app.Name = name;
        }
        if (change.CategoryId is { } categoryId)
        {
            // The API sends mini_category_ids as "a_b;c_d"; Touchpoint keeps one main category (主营类目), the first.
            var first = categoryId.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            var category = MemberFieldCatalogue.FindCategory(first)
                ?? throw OpenPlatformViolation.Business("isv.category-not-exist", $"类目 {categoryId} 不存在，可选类目见 docs/openapi.md");
            app.CategoryId = category.Id;
        }
        if (change.LogoUrl is { } logo)
        {
            logo = logo.Trim();
            if (!Uri.TryCreate(logo, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || logo.Length > 500)
            {
                throw OpenPlatformViolation.Invalid("isv.invalid-app-logo", "小程序图标应为 http(s) 图片地址");
            }
            app.LogoUrl = logo;
        }
        if (change.Description is { } description)
        {
            description = description.Trim();
            if (description.Length is < 6 or > 200)
            {
                throw OpenPlatformViolation.Invalid("isv.invalid-app-desc", "小程序简介应为 6~200 个字");
            }
            app.Description = description;
        }
        if (change.ServicePhone is { } phone)
        {
            phone = phone.Trim();
            if (!PhonePattern().IsMatch(phone))
            {
                throw OpenPlatformViolation.Invalid("isv.invalid-service-phone", "客服电话格式不正确，例如 0571-88888888 或 13800000000");
            }
            app.ServicePhone = phone;
        }
        if (change.ServiceEmail is { } email)
        {
            email = email.Trim();
            if (email.Length > 0 && (!EmailPattern().IsMatch(email) || email.Length > 100))
            {
                throw OpenPlatformViolation.Invalid("isv.invalid-service-email", "客服邮箱格式不正确");
            }
            app.ServiceEmail = email.Length == 0 ? null : email;
        }
    }

    /// <summary>Upload of the app public key: PEM (PKCS1 or PKCS8/SPKI) or bare base64, RSA-2048 or larger.</summary>
    public Task<DeveloperApp> SetPublicKeyAsync(Actor actor, string appId, string? key, CancellationToken ct = default) =>
        MutateAsync(actor, appId, app => app.PublicKey = NormalizePublicKey(key), ct, audit: "上传应用公钥");

    /// <summary>For testing: a new key pair; the public half is stored, the private half returned once and never kept.</summary>
    public async Task<string> GenerateKeyPairAsync(Actor actor, string appId, CancellationToken ct = default)
    {
        using var rsa = RSA.Create(2048);
        await MutateAsync(actor, appId, app => app.PublicKey = RsaKeys.ExportPublicKeyBase64(rsa), ct, audit: "生成应用密钥对");
        return RsaKeys.ExportPrivateKeyPkcs1Pem(rsa);
    }

    /// <summary>A new AES key, sealed at rest; the plain key is in this answer only.</summary>
    public async Task<string> GenerateAesKeyAsync(Actor actor, string appId, CancellationToken ct = default)
    {
        var key = AesContent.GenerateKey();
        await MutateAsync(actor, appId, app => app.AesKey = secrets.Seal(key), ct, audit: "生成接口内容加密 AES 密钥");
        return key;
    }

    /// <summary>查看 AES 密钥: the app's owner only, on request, and the request is in the audit log.</summary>
    public async Task<string> RevealAesKeyAsync(Actor actor, string appId, CancellationToken ct = default)
    {
        string? sealedKey = null;
        await MutateAsync(actor, appId, app => sealedKey = app.AesKey ?? throw TouchpointException.Invalid("应用尚未设置 AES 密钥"),
            ct, audit: "查看接口内容加密 AES 密钥");
        return secrets.Open(sealedKey!);
    }

    public Task<DeveloperApp> SetGatewayAsync(Actor actor, string appId, string? url, CancellationToken ct = default) =>
        MutateAsync(actor, appId, app =>
        {
            url = url?.Trim();
            if (string.IsNullOrEmpty(url))
            {
                app.GatewayUrl = null;
                return;
            }
            outbound.CheckUrl(url, "应用网关");
            app.GatewayUrl = url;
        }, ct);

    /// <summary>小程序预览's back-end URL, where the preview POSTs the payload as the mini-program's my.request would.</summary>
    public Task<DeveloperApp> SetPreviewBackendAsync(Actor actor, string appId, string? url, CancellationToken ct = default) =>
        MutateAsync(actor, appId, app =>
        {
            url = url?.Trim();
            if (!string.IsNullOrEmpty(url))
            {
                outbound.CheckUrl(url, "后端服务地址");
            }
            app.PreviewBackendUrl = string.IsNullOrEmpty(url) ? null : url;
        }, ct);

    public Task<DeveloperApp> SetSubscriptionsAsync(Actor actor, string appId, IReadOnlyList<string> methods, CancellationToken ct = default) =>
        MutateAsync(actor, appId, app =>
        {
            var unknown = methods.Where(m => !KnownNotifications.Contains(m)).ToList();
            if (unknown.Count > 0)
            {
                throw TouchpointException.Invalid($"不支持订阅的消息：{string.Join("、", unknown)}");
            }
            app.Subscriptions = DeveloperApp.Join(methods);
        }, ct);

    public Task<DeveloperApp> AddFeaturePackageAsync(Actor actor, string appId, string? packageCode, CancellationToken ct = default) =>
        MutateAsync(actor, appId, app =>
        {
            var package = MemberFieldCatalogue.FindPackage(packageCode) ?? throw TouchpointException.Invalid("请选择要添加的功能");
            if (!app.Kind.HasBasicInfo())
            {
                throw TouchpointException.Invalid($"{package.Name}只能添加到小程序");
            }
            app.FeaturePackages = DeveloperApp.Join(app.FeaturePackageList.Append(package.Code));
        }, ct);

    /// <summary>商家授权: the merchant lets a service provider's third-party app act for one of its apps.</summary>
    public async Task<NewAuthorization> AuthorizeAsync(Actor actor, string merchantAppId, string? thirdPartyAppId, CancellationToken ct = default)
    {
        var merchantApp = await GetAsync(actor, merchantAppId, ct);
        if (merchantApp.OwnerId != actor.Id)
        {
            throw TouchpointException.Forbidden("只有应用的所有者可以授权第三方应用；平台运营只能查看");
        }
        if (!merchantApp.Kind.CanAuthorizeThirdParty())
        {
            throw TouchpointException.Invalid("第三方应用不能再授权给其他第三方应用");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var thirdParty = await db.DeveloperApps.AsNoTracking().SingleOrDefaultAsync(a => a.AppId == (thirdPartyAppId ?? "").Trim(), ct);
        if (thirdParty is null || thirdParty.Kind != AppKind.ThirdParty)
        {
            throw TouchpointException.NotFound($"第三方应用 {thirdPartyAppId} 不存在，请向服务商确认第三方应用的 APPID");
        }
        var existing = await db.AppAuthorizations.AsNoTracking().FirstOrDefaultAsync(a =>
            a.MerchantAppId == merchantApp.Id && a.ThirdPartyAppId == thirdParty.Id && a.RevokedAtUtc == null, ct);
        if (existing is not null)
        {
            throw TouchpointException.Conflict($"已授权给第三方应用 {thirdParty.AppId}（{thirdParty.Name}）");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var token = NewAppAuthToken(now);
        var authorization = new AppAuthorization
        {
            MerchantAppId = merchantApp.Id,
            ThirdPartyAppId = thirdParty.Id,
            Token = secrets.Seal(token),
            TokenHash = AppDirectory.HashToken(token),
            CreatedAtUtc = now,
        };
        db.AppAuthorizations.Add(authorization);
        AuditLog.Add(db, clock, actor.Id, AuditAction.AppAuthorized, actor.Id, null,
            $"应用 {merchantApp.AppId} 授权第三方应用 {thirdParty.AppId}（{thirdParty.Name}）");
        AuditLog.Add(db, clock, actor.Id, AuditAction.AppAuthorized, thirdParty.OwnerId, null,
            $"商家应用 {merchantApp.AppId}（{merchantApp.Name}）授权了你的第三方应用 {thirdParty.AppId}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Two authorizations of the same pair at once: the index kept the first.
            throw TouchpointException.Conflict($"已授权给第三方应用 {thirdParty.AppId}（{thirdParty.Name}）");
        }
        return new NewAuthorization(authorization.Id, authorization.CreatedAtUtc, token);
    }

    /// <summary>The merchant withdraws an authorization; on-behalf applications still in review become invalid.</summary>
    public async Task RevokeAuthorizationAsync(Actor actor, long authorizationId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var authorization = await db.AppAuthorizations.SingleOrDefaultAsync(a => a.Id == authorizationId, ct);
        var merchantApp = authorization is null ? null : await db.DeveloperApps.SingleAsync(a => a.Id == authorization.MerchantAppId, ct);
        if (authorization is null || merchantApp!.OwnerId != actor.Id)
        {
            throw TouchpointException.NotFound("授权不存在");
        }
        if (!authorization.IsActive)
        {
            throw TouchpointException.Conflict("该授权已解除");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Conditional, so that two revocations racing do not both invalidate applications and log twice.
        if (await db.AppAuthorizations.Where(a => a.Id == authorization.Id && a.RevokedAtUtc == null)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.RevokedAtUtc, now), ct) == 0)
        {
            throw TouchpointException.Conflict("该授权已解除");
        }
        var pending = await db.FieldApplications.Where(f => f.AppId == merchantApp.Id
            && f.OnBehalfThirdPartyAppId == authorization.ThirdPartyAppId && f.Status == FieldApplicationStatus.Audit).ToListAsync(ct);
        foreach (var application in pending)
        {
            application.Status = FieldApplicationStatus.Invalid;
            application.Reason = "商家已解除对服务商第三方应用的授权";
            application.ReviewedAtUtc = now;
        }
        AuditLog.Add(db, clock, actor.Id, AuditAction.AppAuthorizationRevoked, actor.Id, null,
            $"应用 {merchantApp.AppId} 解除第三方应用授权；{pending.Count} 个代申请失效");
        await db.SaveOrConflictAsync(ct, "有代申请正在被审核，未做任何更改，请稍后重试");
        await transaction.CommitAsync(ct);
        if (authorization.TokenHash is not null)
        {
            directory.ForgetToken(authorization.TokenHash);
        }
    }

    /// <summary>Authorizations an app is party to: who acts for a merchant app, or whom a third-party app acts for.</summary>
    public async Task<IReadOnlyList<AuthorizationRow>> ListAuthorizationsAsync(Actor actor, string appId, CancellationToken ct = default)
    {
        var app = await GetAsync(actor, appId, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var query =
            from a in db.AppAuthorizations.AsNoTracking()
            join m in db.DeveloperApps on a.MerchantAppId equals m.Id
            join mo in db.Accounts on m.OwnerId equals mo.Id
            join t in db.DeveloperApps on a.ThirdPartyAppId equals t.Id
            join to in db.Accounts on t.OwnerId equals to.Id
            where a.MerchantAppId == app.Id || a.ThirdPartyAppId == app.Id
            orderby a.Id descending
            select new AuthorizationRow(a.Id, m.AppId, m.Name, mo.DisplayName, t.AppId, t.Name, to.DisplayName,
                // The token is the provider's credential: only the provider sees its value, not the merchant or the operator.
                app.Kind == AppKind.ThirdParty && app.OwnerId == actor.Id && a.RevokedAtUtc == null ? a.Token : "",
                a.CreatedAtUtc, a.RevokedAtUtc);
        return (await query.ToListAsync(ct)).Select(r => r.Token.Length == 0 ? r : r with { Token = secrets.Open(r.Token) }).ToList();
    }

    private async Task<DeveloperApp> MutateAsync(Actor actor, string appId, Action<DeveloperApp> change, CancellationToken ct, string? audit = null)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var app = await db.DeveloperApps.SingleOrDefaultAsync(a => a.AppId == appId, ct);
        if (app is null || app.OwnerId != actor.Id)
        {
            throw TouchpointException.NotFound($"应用 {appId} 不存在或不属于当前账号");
        }
        change(app);
        app.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        if (audit is not null)
        {
            AuditLog.Add(db, clock, actor.Id, AuditAction.AppKeyChanged, actor.Id, null, $"应用 {app.AppId}：{audit}");
        }
        await db.SaveChangesAsync(ct);
        directory.Forget(app.AppId);
        return app;
    }

    public static string NormalizePublicKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw TouchpointException.Invalid("请粘贴应用公钥");
        }
        try
        {
            using var rsa = RsaKeys.ImportPublicKey(key.Trim());
            if (rsa.KeySize < 2048)
            {
                throw TouchpointException.Invalid($"应用公钥只有 {rsa.KeySize} 位，请使用 RSA2048 密钥");
            }
            return RsaKeys.ExportPublicKeyBase64(rsa);
        }
        catch (Exception e) when (e is FormatException or CryptographicException or ArgumentException)
        {
            throw TouchpointException.Invalid("无法识别的公钥：请粘贴 PEM 格式（PKCS1 或 PKCS8）或纯 base64 的 RSA 公钥；不要粘贴私钥");
        }
    }

    private static string NewAppId(DateTime now) =>
        now.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private static string NewAppAuthToken(DateTime now) =>
        now.ToString("yyyyMM", System.Globalization.CultureInfo.InvariantCulture) + "BB" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    [GeneratedRegex(@"^(\+?\d{1,4}[- ]?)?\d{3,4}[- ]?\d{4,8}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
