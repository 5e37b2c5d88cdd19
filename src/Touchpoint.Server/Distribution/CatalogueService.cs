using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Audit;
using Touchpoint.Core.Common;
using Touchpoint.Core.Distribution;
using Touchpoint.Core.Distribution.Apk;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Audit;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Distribution;

/// <summary>
/// 应用分发的应用目录: developers publish apps and versions; everyone finds open apps by their ID and keeps favorites.
/// An APK is read, not trusted: package, versionCode, versionName, minSdk and the signer come from the file.
/// </summary>
public sealed class CatalogueService(IDbContextFactory<TouchpointDb> factory, ArtifactStore store, IOptions<DistributionOptions> options,
    TimeProvider clock, ILogger<CatalogueService> logger)
{
    /// <summary>Who may publish what (R7): developers their own apps; the operator official apps; system images the maker or the operator.</summary>
    public static bool MayPublish(AccountRole role, CatalogueKind kind) => kind switch
    {
        CatalogueKind.PartnerApp or CatalogueKind.LightApp => role is AccountRole.ServiceProvider or AccountRole.Merchant or AccountRole.Manufacturer,
        CatalogueKind.MiniProgram => role is AccountRole.ServiceProvider or AccountRole.Merchant,
        CatalogueKind.OfficialApp => role == AccountRole.Operator,
        CatalogueKind.SystemImage => role is AccountRole.Manufacturer or AccountRole.Operator,
        _ => false,
    };

    public async Task<CatalogueAppView> CreateAsync(Actor actor, NewCatalogueApp request, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(request.Kind))
        {
            throw TouchpointException.Invalid("请选择应用类型");
        }
        if (!MayPublish(actor.Role, request.Kind))
        {
            throw TouchpointException.Forbidden($"{actor.Role.Chinese()}不能发布{request.Kind.Chinese()}");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var app = new CatalogueApp
        {
            AppId = "", Name = "", Kind = request.Kind, OwnerId = actor.Id, CreatedAtUtc = now,
            Description = OptionalText.Clip(request.Description, 500),
        };
        if (request.Kind == CatalogueKind.MiniProgram)
        {
            // 小程序 come from 开放平台 > 我的应用: the catalogue entry carries that app's ID and name.
            var id = request.MiniProgramAppId?.Trim();
            var mini = await db.DeveloperApps.AsNoTracking().SingleOrDefaultAsync(a => a.AppId == id, ct);
            if (mini is null || mini.OwnerId != actor.Id || !mini.Kind.HasBasicInfo())
            {
                throw TouchpointException.Invalid("请选择您在 开放平台 > 我的应用 中的小程序");
            }
            app.AppId = mini.AppId;
            app.Name = request.Name?.Trim() is { Length: > 0 } n ? n : mini.Name;
        }
        else
        {
            app.AppId = NewAppId(now);
            app.Name = request.Name?.Trim() ?? "";
        }
        if (app.Name.Length is 0 or > 64)
        {
            throw TouchpointException.Invalid("应用名称必填，最多 64 个字");
        }
        if (request.Kind == CatalogueKind.SystemImage)
        {
            var makerId = actor.Role == AccountRole.Manufacturer ? actor.Id : request.ManufacturerId;
            if (makerId is null || !await db.Accounts.AnyAsync(a => a.Id == makerId && a.Role == AccountRole.Manufacturer, ct))
            {
                throw TouchpointException.Invalid("系统升级包需要指定设备厂商");
            }
            if (string.IsNullOrWhiteSpace(request.Model) || request.Model.Trim().Length > 64)
            {
                throw TouchpointException.Invalid("系统升级包需要指定设备型号");
            }
            app.ManufacturerId = makerId;
            app.Model = request.Model.Trim();
        }
        if (request.Kind is CatalogueKind.MiniProgram or CatalogueKind.LightApp or CatalogueKind.SystemImage)
        {
            app.PackageName = CatalogueNames.DevicePackage(request.Kind, app.AppId, null);
        }
        db.CatalogueApps.Add(app);
        AuditLog.Add(db, clock, actor.Id, AuditAction.CatalogueAppCreated, actor.Id, null, $"创建{request.Kind.Chinese()} {app.Name}（{app.AppId}）");
        await db.SaveOrConflictAsync(ct, $"应用 {app.AppId} 已在分发目录中");
        return await ViewAsync(db, actor, app, ct);
    }

    /// <summary>Uploads a version: streams to storage, reads the APK, refuses what a device would refuse as an upgrade.</summary>
    public async Task<AppVersionView> AddVersionAsync(Actor actor, string appId, Stream content, string? fileName, VersionForm form,
        CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var app = await OwnedAsync(db, actor, appId, "只有应用的发布者可以上传新版本", ct);
        var notes = form.ReleaseNotes?.Trim();
        if (notes is { Length: > 2000 })
        {
            throw TouchpointException.Invalid("版本说明最多 2000 字");
        }
        await using var staged = await store.StageAsync(content, options.Value.MaxArtifactBytes, ct);
        if (staged.Size == 0)
        {
            throw TouchpointException.Invalid("上传的文件是空的");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var version = new AppVersion
        {
            CatalogueAppId = app.Id, VersionName = "", ArtifactSha256 = staged.Sha256, SizeBytes = staged.Size,
            FileName = OptionalText.Clip(Path.GetFileName(fileName), 128), ReleaseNotes = notes, CreatedById = actor.Id, CreatedAtUtc = now,
        };
        var latest = await db.AppVersions.AsNoTracking().Where(v => v.CatalogueAppId == app.Id).OrderByDescending(v => v.VersionCode)
            .FirstOrDefaultAsync(ct);
        if (app.Kind.IsApk())
        {
            if (staged.Size < options.Value.MinApkBytes)
            {
                throw TouchpointException.Invalid($"文件太小（{staged.Size} 字节），不是有效的 APK");
            }
            ApkInfo apk;
            try
            {
                await using var file = staged.OpenRead();
                apk = ApkReader.Read(file);
            }
            catch (ApkException e)
            {
                throw TouchpointException.Invalid(e.Message);
            }
            if (app.PackageName is { } package && package != apk.PackageName)
            {
                throw TouchpointException.Invalid($"包名不一致：应用的包名是 {package}，上传的 APK 是 {apk.PackageName}");
            }
            if (apk.CertificateSha256.Count != 1)
            {
                throw TouchpointException.Invalid($"APK 有 {apk.CertificateSha256.Count} 个签名者，暂只支持单一签名者的 APK");
            }
            var certificate = apk.CertificateSha256[0];
            // Android compares the whole signer set: another key, or an extra signer, is a different signer.
            if (app.CertificateSha256 is { } expected && !(apk.CertificateSha256.Count == 1 && apk.CertificateSha256[0] == expected))
            {
                throw TouchpointException.Invalid(
                    $"签名证书与已发布版本不一致（已发布 {expected[..16]}…，上传 {certificate[..16]}…）：设备上用另一把密钥签名的升级会安装失败");
            }
            if (apk.VersionName is { Length: > Core.DeviceChannel.TelemetryRules.MaxAppVersion })
            {
                throw TouchpointException.Invalid("versionName 过长");
            }
            version.VersionCode = apk.VersionCode;
            version.VersionName = apk.VersionName ?? apk.VersionCode.ToString(CultureInfo.InvariantCulture);
            version.MinSdk = apk.MinSdk;
            version.TargetSdk = apk.TargetSdk;
            version.CertificateSha256 = app.CertificateSha256 ?? certificate;
            version.SignatureScheme = apk.SignatureScheme;
            app.PackageName ??= apk.PackageName;
            app.CertificateSha256 ??= certificate;
        }
        else
        {
            var name = form.VersionName?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > Core.DeviceChannel.TelemetryRules.MaxAppVersion)
            {
                throw TouchpointException.Invalid("请填写版本号（最多 32 个字符）");
            }
            if (form.VersionCode is not > 0)
            {
                throw TouchpointException.Invalid("请填写版本序号（正整数，每个新版本递增）");
            }
            version.VersionName = name;
            version.VersionCode = form.VersionCode.Value;
            if (app.Kind == CatalogueKind.SystemImage)
            {
                var os = form.OsVersion?.Trim();
                if (Core.Distribution.AndroidSdk.ApiLevel(os) is null)
                {
                    throw TouchpointException.Invalid("请填写升级后的安卓版本（例如 11、12）");
                }
                version.OsVersion = os;
            }
        }
        if (latest is not null && version.VersionCode <= latest.VersionCode)
        {
            throw TouchpointException.Invalid(
                $"versionCode 必须递增：已发布最高版本 {latest.VersionName}（{latest.VersionCode}），上传的是 {version.VersionName}（{version.VersionCode}）");
        }
        store.Commit(staged);
        app.Revision++; // two uploads at once: the second one's save fails instead of racing the package, signer and versionCode
        db.AppVersions.Add(version);
        AuditLog.Add(db, clock, actor.Id, AuditAction.AppVersionPublished, actor.Id, null,
            $"{app.Name}（{app.AppId}）上传版本 {version.VersionName}（{version.VersionCode}），SHA-256 {staged.Sha256[..12]}…");
        await db.SaveOrConflictAsync(ct, $"版本 {version.VersionCode} 已存在，或另一个版本正在同时上传；请刷新后重试");
        logger.LogInformation("Published {AppId} version {Code} ({Size} bytes, {Sha})", app.AppId, version.VersionCode, staged.Size, staged.Sha256);
        return View(version);
    }

    /// <summary>Before an upload's body is read: only the publisher may send one.</summary>
    public async Task EnsureUploaderAsync(Actor actor, string appId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await OwnedAsync(db, actor, appId, "只有应用的发布者可以上传新版本", ct);
    }

    public async Task<CatalogueAppView> SetOpenAsync(Actor actor, string appId, bool open, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var app = await OwnedAsync(db, actor, appId, "只有应用的发布者可以设置开放", ct);
        app.IsOpen = open;
        AuditLog.Add(db, clock, actor.Id, AuditAction.CatalogueAppOpened, actor.Id, null, $"{app.Name}（{app.AppId}）{(open ? "开放" : "取消开放")}");
        await db.SaveChangesAsync(ct);
        return await ViewAsync(db, actor, app, ct);
    }

    /// <summary>My apps, then my favorites: what the task wizard offers first (R9).</summary>
    public async Task<IReadOnlyList<CatalogueAppView>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var favorites = db.AppFavorites.Where(f => f.AccountId == actor.Id).Select(f => f.CatalogueAppId);
        var apps = await db.CatalogueApps.AsNoTracking().Include(a => a.Versions)
            .Where(a => a.OwnerId == actor.Id || (favorites.Contains(a.Id) && a.IsOpen) || (actor.Role == AccountRole.Operator && a.Kind == CatalogueKind.OfficialApp))
            .OrderBy(a => a.Id).Take(500).ToListAsync(ct);
        return await ViewsAsync(db, actor, apps, ct);
    }

    /// <summary>The first time: search the open apps by app ID (exact; IDs are not guessable names).</summary>
    public async Task<IReadOnlyList<CatalogueAppView>> SearchAsync(Actor actor, string? appId, CancellationToken ct = default)
    {
        var id = appId?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            throw TouchpointException.Invalid("请输入应用 ID");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var apps = await db.CatalogueApps.AsNoTracking().Include(a => a.Versions)
            .Where(a => a.AppId == id && (a.IsOpen || a.OwnerId == actor.Id)).ToListAsync(ct);
        return await ViewsAsync(db, actor, apps, ct);
    }

    public async Task<CatalogueAppView> GetAsync(Actor actor, string appId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var app = await VisibleAsync(db, actor, appId, ct);
        return await ViewAsync(db, actor, app, ct);
    }

    public async Task FavoriteAsync(Actor actor, string appId, bool favorite, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var app = await VisibleAsync(db, actor, appId, ct);
        var existing = await db.AppFavorites.FindAsync([actor.Id, app.Id], ct);
        if (favorite && existing is null)
        {
            db.AppFavorites.Add(new AppFavorite { AccountId = actor.Id, CatalogueAppId = app.Id, CreatedAtUtc = clock.GetUtcNow().UtcDateTime });
        }
        else if (!favorite && existing is not null)
        {
            db.AppFavorites.Remove(existing);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Favorited twice at once: it is a favorite either way.
        }
    }

    /// <summary>An app the actor may see and distribute: its own, an open one, or (operator) any.</summary>
    internal static async Task<CatalogueApp> VisibleAsync(TouchpointDb db, Actor actor, string appId, CancellationToken ct)
    {
        var id = appId.Trim();
        var app = await db.CatalogueApps.Include(a => a.Versions).SingleOrDefaultAsync(a => a.AppId == id, ct);
        if (app is null || !(app.OwnerId == actor.Id || app.IsOpen || actor.Role == AccountRole.Operator))
        {
            throw NotFound(id); // a closed app of someone else is not there, as far as the asker can tell
        }
        return app;
    }

    /// <summary>The publisher's own app; others get 404 for what they cannot see and 403 for what they can only read.</summary>
    private static async Task<CatalogueApp> OwnedAsync(TouchpointDb db, Actor actor, string appId, string forbidden, CancellationToken ct)
    {
        var app = await db.CatalogueApps.SingleOrDefaultAsync(a => a.AppId == appId, ct) ?? throw NotFound(appId);
        if (app.OwnerId == actor.Id)
        {
            return app;
        }
        throw app.IsOpen || actor.Role == AccountRole.Operator ? TouchpointException.Forbidden(forbidden) : NotFound(appId);
    }

    private static TouchpointException NotFound(string appId) => TouchpointException.NotFound($"应用不存在或未开放：{appId}");

    private async Task<CatalogueAppView> ViewAsync(TouchpointDb db, Actor actor, CatalogueApp app, CancellationToken ct) =>
        (await ViewsAsync(db, actor, [app], ct))[0];

    private static async Task<IReadOnlyList<CatalogueAppView>> ViewsAsync(TouchpointDb db, Actor actor, IReadOnlyList<CatalogueApp> apps,
        CancellationToken ct)
    {
        var ids = apps.Select(a => a.Id).ToList();
        var owners = apps.Select(a => a.OwnerId).Distinct().ToList();
        var favorites = (await db.AppFavorites.Where(f => f.AccountId == actor.Id && ids.Contains(f.CatalogueAppId)).Select(f => f.CatalogueAppId)
            .ToListAsync(ct)).ToHashSet();
        var names = await db.Accounts.Where(a => owners.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.DisplayName, ct);
        var versions = await db.AppVersions.AsNoTracking().Where(v => ids.Contains(v.CatalogueAppId)).ToListAsync(ct);
        return apps
            .OrderByDescending(a => favorites.Contains(a.Id)).ThenBy(a => a.OwnerId != actor.Id).ThenBy(a => a.Id)
            .Select(a => new CatalogueAppView(a.AppId, a.Name, a.Kind, a.Kind.Chinese(), names.GetValueOrDefault(a.OwnerId, ""), a.PackageName,
                a.CertificateSha256, a.IsOpen, a.OwnerId == actor.Id, favorites.Contains(a.Id), a.Model, a.Description, a.CreatedAtUtc,
                versions.Where(v => v.CatalogueAppId == a.Id).OrderByDescending(v => v.VersionCode).Select(View).ToList()))
            .ToList();
    }

    internal static AppVersionView View(AppVersion v) => new(v.Id, v.VersionCode, v.VersionName, v.MinSdk, v.TargetSdk, v.OsVersion,
        v.ArtifactSha256, v.SizeBytes, v.CertificateSha256, v.SignatureScheme, v.FileName, v.ReleaseNotes, v.CreatedAtUtc);

    // Catalogue IDs share the 16-digit shape of 开放平台 app IDs but start with 3, so the two never collide.
    private static string NewAppId(DateTime now) =>
        "3" + (now.Year % 1000).ToString("D3", CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
}
