using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Audit;
using Touchpoint.Core.Common;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Audit;
using Touchpoint.Server.Common;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Notifications;

namespace Touchpoint.Server.MemberInfo;

/// <summary>A sample file as received, before it is stored.</summary>
public sealed record MediaFile(string Slot, string FileName, string ContentType, byte[] Content)
{
    public MediaUpload Describe() => new(Slot, FileName, ContentType, Content.LongLength, MediaSignature.Detect(Content.AsSpan(0, Math.Min(16, Content.Length))));

    /// <summary>Reads an uploaded part (the form field name is the slot: video, picture_1…).</summary>
    public static async Task<MediaFile> FromFormFileAsync(IFormFile file, CancellationToken ct)
    {
        using var buffer = new MemoryStream((int)Math.Min(file.Length, int.MaxValue));
        await file.CopyToAsync(buffer, ct);
        return new MediaFile(file.Name, file.FileName, file.ContentType ?? "application/octet-stream", buffer.ToArray());
    }

    /// <summary>The type the console serves it as: what the bytes are, not what the uploader said.</summary>
    public static string ServedType(FieldApplicationMedia media) =>
        MediaSignature.Detect(media.Content.AsSpan(0, Math.Min(16, media.Content.Length))) == MediaKind.Unknown ? "application/octet-stream" : media.ContentType;
}

public sealed record ApplicationRow(long Id, string AppId, string AppName, string OwnerName, string ApiName, string FieldName,
    string PackageCode, string SceneCode, FieldApplicationStatus Status, string? Reason, DateTime SubmittedAtUtc,
    DateTime ExpectedByUtc, DateTime? ReviewedAtUtc, string? OnBehalfAppId, string? CategoryName);

public sealed record MediaRow(long Id, string Slot, string FileName, string ContentType, long Length);

public sealed record ApplicationDetail(ApplicationRow Row, string QpsAnswer, string CustomerAnswer, IReadOnlyList<MediaRow> Media);

/// <summary>用户信息申请 and its review (审核), for the console and the gateway alike.</summary>
public sealed class FieldApplicationService(
    IDbContextFactory<TouchpointDb> factory, TimeProvider clock, NotificationOutbox outbox, NotificationSignal signal)
{
    /// <summary>Stores an application after every rule of seed 002 passed; the caller has already established who applies.</summary>
    public async Task<FieldApplication> ApplyAsync(long appRowId, Applicant applicant, long? onBehalfThirdPartyAppId,
        FieldApplicationRequest request, IReadOnlyList<MediaFile> media, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var app = await db.DeveloperApps.AsNoTracking().SingleAsync(a => a.Id == appRowId, ct);
        var field = FieldApplicationRules.Check(app, applicant, request);
        if (await AnyAsync(db, app.Id, field, FieldApplicationStatus.Audit, ct))
        {
            throw OpenPlatformViolation.Business("isv.application-in-audit", $"{field.ApiName} 的 {field.FieldName} 已在审核中，请等待审核结果");
        }
        if (await AnyAsync(db, app.Id, field, FieldApplicationStatus.Agree, ct))
        {
            throw OpenPlatformViolation.Business("isv.field-already-granted", $"应用已获得 {field.ApiName} 的 {field.FieldName}，无需重复申请");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var application = new FieldApplication
        {
            AppId = app.Id,
            ApplicantAccountId = applicant.AccountId,
            OnBehalfThirdPartyAppId = onBehalfThirdPartyAppId,
            ApiName = field.ApiName,
            FieldName = field.FieldName,
            PackageCode = field.PackageCode,
            SceneCode = request.SceneCode!.Trim(),
            QpsAnswer = request.QpsAnswer!.Trim(),
            CustomerAnswer = request.CustomerAnswer!.Trim(),
            Status = FieldApplicationStatus.Audit,
            SubmittedAtUtc = now,
            ExpectedByUtc = ReviewCalendar.ExpectedBy(now),
            Media = media.Select(m => new FieldApplicationMedia
            {
                Slot = m.Slot,
                FileName = OptionalText.Clip(Path.GetFileName(m.FileName), 200) ?? m.Slot,
                ContentType = OptionalText.Clip(m.ContentType, 100) ?? "application/octet-stream",
                Length = m.Content.LongLength,
                Content = m.Content,
            }).ToList(),
        };
        db.FieldApplications.Add(application);
        AuditLog.Add(db, clock, applicant.AccountId, AuditAction.FieldApplied, app.OwnerId, null,
            $"应用 {app.AppId} 申请 {field.ApiName}.{field.FieldName}（{field.FieldTitle}）" + (onBehalfThirdPartyAppId is null ? "" : "，服务商代申请"));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Lost a race with an identical submission: the unique index kept one, this one is the duplicate.
            throw OpenPlatformViolation.Business("isv.application-in-audit", $"{field.ApiName} 的 {field.FieldName} 已在审核中，请等待审核结果");
        }
        return application;
    }

    /// <summary>申请权限 in the merchant console (R15: merchants only, for their own mini-programs).</summary>
    public async Task<FieldApplication> ApplyFromConsoleAsync(Actor actor, string appId, FieldApplicationRequest request,
        IReadOnlyList<MediaFile> media, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var app = await db.DeveloperApps.AsNoTracking().SingleOrDefaultAsync(a => a.AppId == appId, ct);
        if (app is null || app.OwnerId != actor.Id)
        {
            throw TouchpointException.NotFound($"应用 {appId} 不存在或不属于当前账号");
        }
        return await ApplyAsync(app.Id, new Applicant(actor.Role, actor.Id, OnBehalf: false), null, request, media, ct);
    }

    public async Task<IReadOnlyList<FieldApplication>> ListForAppAsync(long appRowId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.FieldApplications.AsNoTracking().Where(f => f.AppId == appRowId).OrderByDescending(f => f.Id).ToListAsync(ct);
    }

    /// <summary>Applications the actor may see: the operator all, an owner those of its apps.</summary>
    public async Task<Paged<ApplicationRow>> ListAsync(Actor actor, FieldApplicationStatus? status, PageRequest page, string? appId = null,
        CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = db.FieldApplications.AsNoTracking();
        if (!actor.Is(AccountRole.Operator))
        {
            var mine = db.DeveloperApps.Where(a => a.OwnerId == actor.Id).Select(a => a.Id);
            query = query.Where(f => mine.Contains(f.AppId));
        }
        if (status is { } s)
        {
            query = query.Where(f => f.Status == s);
        }
        if (!string.IsNullOrWhiteSpace(appId))
        {
            var app = db.DeveloperApps.Where(a => a.AppId == appId.Trim()).Select(a => a.Id);
            query = query.Where(f => app.Contains(f.AppId));
        }
        // Filter and order on the entity; EF cannot order after projecting into a record constructor.
        var total = await query.CountAsync(ct);
        var rows = await Rows(db, query.OrderByDescending(f => f.Id).Skip(page.Skip).Take(page.PageSize)).ToListAsync(ct);
        return new Paged<ApplicationRow>(rows.OrderByDescending(r => r.Id)
            .Select(r => r with { CategoryName = MemberFieldCatalogue.FindCategory(r.CategoryName)?.Name }).ToList(), total, page.Page, page.PageSize);
    }

    public async Task<ApplicationDetail> GetAsync(Actor actor, long id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await Rows(db, db.FieldApplications.AsNoTracking().Where(f => f.Id == id)).SingleOrDefaultAsync(ct);
        if (row is null || !await MaySeeAsync(db, actor, row.AppId, ct))
        {
            throw TouchpointException.NotFound("申请不存在");
        }
        var answers = await db.FieldApplications.AsNoTracking().Where(f => f.Id == id)
            .Select(f => new { f.QpsAnswer, f.CustomerAnswer }).SingleAsync(ct);
        var media = await db.FieldApplicationMedia.AsNoTracking().Where(m => m.ApplicationId == id).OrderBy(m => m.Slot)
            .Select(m => new MediaRow(m.Id, m.Slot, m.FileName, m.ContentType, m.Length)).ToListAsync(ct);
        return new ApplicationDetail(row with { CategoryName = MemberFieldCatalogue.FindCategory(row.CategoryName)?.Name },
            answers.QpsAnswer, answers.CustomerAnswer, media);
    }

    public async Task<FieldApplicationMedia> GetMediaAsync(Actor actor, long mediaId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var media = await db.FieldApplicationMedia.AsNoTracking().SingleOrDefaultAsync(m => m.Id == mediaId, ct);
        var appId = media is null ? null : await (from f in db.FieldApplications
                                                 join a in db.DeveloperApps on f.AppId equals a.Id
                                                 where f.Id == media.ApplicationId
                                                 select a.AppId).SingleAsync(ct);
        if (media is null || !await MaySeeAsync(db, actor, appId!, ct))
        {
            throw TouchpointException.NotFound("文件不存在");
        }
        return media;
    }

    public Task ApproveAsync(Actor actor, long id, CancellationToken ct = default) =>
        DecideAsync(actor, id, FieldApplicationStatus.Agree, null, ct);

    public Task RejectAsync(Actor actor, long id, string? reason, CancellationToken ct = default)
    {
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            throw TouchpointException.Invalid("驳回时请填写驳回原因，申请方会看到它");
        }
        if (reason.Length > 500)
        {
            throw TouchpointException.Invalid("驳回原因不能超过 500 个字");
        }
        return DecideAsync(actor, id, FieldApplicationStatus.Reject, reason, ct);
    }

    /// <summary>Whether an app has been granted a field (used by later features such as the phone number).</summary>
    public async Task<bool> HasFieldAsync(long appRowId, string apiName, string fieldName, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.FieldApplications.AnyAsync(f => f.AppId == appRowId && f.ApiName == apiName && f.FieldName == fieldName
            && f.Status == FieldApplicationStatus.Agree, ct);
    }

    /// <summary>The fields of <paramref name="apiName"/> granted to an app (approved applications).</summary>
    public async Task<IReadOnlyList<string>> GrantedFieldsAsync(long appRowId, string apiName, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.FieldApplications.Where(f => f.AppId == appRowId && f.ApiName == apiName && f.Status == FieldApplicationStatus.Agree)
            .Select(f => f.FieldName).Distinct().OrderBy(f => f).ToListAsync(ct);
    }

    private async Task DecideAsync(Actor actor, long id, FieldApplicationStatus decision, string? reason, CancellationToken ct)
    {
        if (!actor.Is(AccountRole.Operator))
        {
            throw TouchpointException.Forbidden("只有平台运营可以审核用户信息申请");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var application = await db.FieldApplications.SingleOrDefaultAsync(f => f.Id == id, ct)
            ?? throw TouchpointException.NotFound("申请不存在");
        if (application.Status != FieldApplicationStatus.Audit)
        {
            throw TouchpointException.Conflict($"该申请已是「{application.Status.ChineseName()}」，不能再审核");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        application.Status = decision;
        application.Reason = reason;
        application.ReviewedAtUtc = now;
        application.ReviewerId = actor.Id;

        var app = await db.DeveloperApps.AsNoTracking().SingleAsync(a => a.Id == application.AppId, ct);
        var biz = new JsonObject
        {
            ["user_app_id"] = app.AppId,
            ["api_name"] = application.ApiName,
            ["field_name"] = application.FieldName,
            ["package_code"] = application.PackageCode,
            ["scene_code"] = application.SceneCode,
            ["status"] = decision.WireName(),
            ["reason"] = reason ?? "",
        };
        var staged = outbox.Stage(db, app, MemberFieldCatalogue.FieldChangedMethod, biz) is not null;
        if (application.OnBehalfThirdPartyAppId is { } providerAppId)
        {
            var providerApp = await db.DeveloperApps.AsNoTracking().SingleAsync(a => a.Id == providerAppId, ct);
            staged |= outbox.Stage(db, providerApp, MemberFieldCatalogue.FieldChangedMethod, (JsonObject)biz.DeepClone()) is not null;
        }
        AuditLog.Add(db, clock, actor.Id, decision == FieldApplicationStatus.Agree ? AuditAction.FieldApproved : AuditAction.FieldRejected,
            app.OwnerId, null, $"应用 {app.AppId} 的 {application.ApiName}.{application.FieldName} 申请" +
            (decision == FieldApplicationStatus.Agree ? "已通过" : $"被驳回：{reason}"));
        await db.SaveOrConflictAsync(ct, "该申请已被其他操作处理（审核或失效），未做任何更改，请刷新后查看");
        if (staged)
        {
            signal.Poke();
        }
    }

    private static Task<bool> AnyAsync(TouchpointDb db, long appId, MemberApiField field, FieldApplicationStatus status, CancellationToken ct) =>
        db.FieldApplications.AnyAsync(f => f.AppId == appId && f.ApiName == field.ApiName && f.FieldName == field.FieldName && f.Status == status, ct);

    private static async Task<bool> MaySeeAsync(TouchpointDb db, Actor actor, string appId, CancellationToken ct) =>
        actor.Is(AccountRole.Operator) || await db.DeveloperApps.AnyAsync(a => a.AppId == appId && a.OwnerId == actor.Id, ct);

    private static IQueryable<ApplicationRow> Rows(TouchpointDb db, IQueryable<FieldApplication> applications) =>
        from f in applications
        join a in db.DeveloperApps on f.AppId equals a.Id
        join o in db.Accounts on a.OwnerId equals o.Id
        join t in db.DeveloperApps on f.OnBehalfThirdPartyAppId equals t.Id into onBehalf
        from t in onBehalf.DefaultIfEmpty()
        select new ApplicationRow(f.Id, a.AppId, a.Name, o.DisplayName, f.ApiName, f.FieldName, f.PackageCode, f.SceneCode,
            f.Status, f.Reason, f.SubmittedAtUtc, f.ExpectedByUtc, f.ReviewedAtUtc, t == null ? null : t.AppId, a.CategoryId);
}
