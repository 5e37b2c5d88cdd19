using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Touchpoint.Core.Common;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Distribution;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Common;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Distribution;

public sealed record OpenRequest(bool Open);

public sealed record CreateTaskRequest(NewDistributionTask Task, bool Start = false);

public static class DistributionApi
{
    public static IEndpointRouteBuilder MapDistributionApi(this IEndpointRouteBuilder app)
    {
        var apps = app.MapApiGroup("/api/distribution/apps");
        apps.MapGet("/", async (ClaimsPrincipal user, CatalogueService catalogue, CancellationToken ct) =>
            TypedResults.Ok(await catalogue.ListAsync(user.Actor(), ct)));
        apps.MapGet("/search", async (ClaimsPrincipal user, CatalogueService catalogue, string? appId, CancellationToken ct) =>
            TypedResults.Ok(await catalogue.SearchAsync(user.Actor(), appId, ct)));
        apps.MapPost("/", async (ClaimsPrincipal user, CatalogueService catalogue, NewCatalogueApp request, CancellationToken ct) =>
            TypedResults.Ok(await catalogue.CreateAsync(user.Actor(), request, ct)));
        apps.MapGet("/{appId}", async (ClaimsPrincipal user, CatalogueService catalogue, string appId, CancellationToken ct) =>
            TypedResults.Ok(await catalogue.GetAsync(user.Actor(), appId, ct)));
        apps.MapPost("/{appId}/open", async (ClaimsPrincipal user, CatalogueService catalogue, string appId, OpenRequest request, CancellationToken ct) =>
            TypedResults.Ok(await catalogue.SetOpenAsync(user.Actor(), appId, request.Open, ct)));
        apps.MapPut("/{appId}/favorite", async (ClaimsPrincipal user, CatalogueService catalogue, string appId, CancellationToken ct) =>
        {
            await catalogue.FavoriteAsync(user.Actor(), appId, true, ct);
            return TypedResults.NoContent();
        });
        apps.MapDelete("/{appId}/favorite", async (ClaimsPrincipal user, CatalogueService catalogue, string appId, CancellationToken ct) =>
        {
            await catalogue.FavoriteAsync(user.Actor(), appId, false, ct);
            return TypedResults.NoContent();
        });
        apps.MapPost("/{appId}/versions", UploadAsync);

        var tasks = app.MapApiGroup("/api/distribution");
        tasks.MapGet("/devices", PickerAsync);
        tasks.MapPost("/tasks", async (ClaimsPrincipal user, DistributionService service, CreateTaskRequest request, CancellationToken ct) =>
            TypedResults.Ok(await service.CreateAsync(user.Actor(), request.Task ?? throw TouchpointException.Invalid("请求缺少 task"),
                TaskSource.Console, request.Start, ct)));
        tasks.MapGet("/tasks", async (HttpResponse response, ClaimsPrincipal user, DistributionQueries queries, int? page, int? pageSize, CancellationToken ct) =>
            TypedResults.Ok((await queries.ListAsync(user.Actor(), PageRequest.Of(page, pageSize), ct)).WriteTo(response)));
        tasks.MapGet("/tasks/{id:long}", async (ClaimsPrincipal user, DistributionQueries queries, long id, CancellationToken ct) =>
            TypedResults.Ok(await queries.GetAsync(user.Actor(), id, ct)));
        tasks.MapPost("/tasks/{id:long}/start", async (ClaimsPrincipal user, DistributionService s, long id, CancellationToken ct) =>
            TypedResults.Ok(await s.StartAsync(user.Actor(), id, ct)));
        tasks.MapPost("/tasks/{id:long}/pause", async (ClaimsPrincipal user, DistributionService s, long id, CancellationToken ct) =>
            TypedResults.Ok(await s.PauseAsync(user.Actor(), id, ct)));
        tasks.MapPost("/tasks/{id:long}/resume", async (ClaimsPrincipal user, DistributionService s, long id, CancellationToken ct) =>
            TypedResults.Ok(await s.ResumeAsync(user.Actor(), id, ct)));
        tasks.MapPost("/tasks/{id:long}/cancel", async (ClaimsPrincipal user, DistributionService s, long id, CancellationToken ct) =>
            TypedResults.Ok(await s.CancelAsync(user.Actor(), id, ct)));
        tasks.MapPost("/tasks/{id:long}/retry", async (ClaimsPrincipal user, DistributionService s, long id, CancellationToken ct) =>
            TypedResults.Ok(await s.RetryFailedAsync(user.Actor(), id, ct)));
        tasks.MapGet("/tasks/{id:long}/targets", async (HttpResponse response, ClaimsPrincipal user, DistributionQueries queries, long id,
                TargetState? state, string? reason, string? sn, int? page, int? pageSize, CancellationToken ct) =>
            TypedResults.Ok((await queries.TargetsAsync(user.Actor(), id, Query(state, reason, sn, page, pageSize), ct)).WriteTo(response)));
        tasks.MapGet("/tasks/{id:long}/targets/{targetId:long}/steps", async (ClaimsPrincipal user, DistributionQueries queries, long id, long targetId,
                CancellationToken ct) => TypedResults.Ok(await queries.StepsAsync(user.Actor(), id, targetId, ct)));
        tasks.MapGet("/tasks/{id:long}/export", ExportAsync);
        tasks.MapGet("/troubleshoot", async (ClaimsPrincipal user, DistributionQueries queries, string? sn, string? appId, CancellationToken ct) =>
            TypedResults.Ok(await queries.TroubleshootAsync(user.Actor(), sn ?? "", appId ?? "", ct)));

        // Devices download with the signed address their job carries; no account, no listing.
        app.MapGet(DownloadTokens.Path + "/{sha256}", DownloadAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static TargetQuery Query(TargetState? state, string? reason, string? sn, int? page, int? pageSize)
    {
        var p = PageRequest.Of(page, pageSize);
        return new TargetQuery(state, reason, sn, p.Page, p.PageSize);
    }

    private static async Task<IResult> PickerAsync(HttpResponse response, ClaimsPrincipal user, DistributionQueries queries, DistributionAction action,
        string? appId, long? versionCode, bool? bootStart, int? maxOfflineDays, DeviceType? type, string? model, bool? online, string? sn,
        int? page, int? pageSize, CancellationToken ct)
    {
        var filter = new DeviceSelection(sn is { Length: > 0 } ? [sn] : null, type, model, online);
        var rows = await queries.PickerAsync(user.Actor(), action, appId, versionCode, bootStart ?? false, maxOfflineDays, filter,
            PageRequest.Of(page, pageSize), ct);
        return TypedResults.Ok(rows.WriteTo(response));
    }

    /// <summary>
    /// A version upload: the file as a multipart part named <c>file</c> (text fields releaseNotes, versionName,
    /// versionCode, osVersion before it) or as the raw body with the fields in the query string. Streamed to storage.
    /// </summary>
    private static async Task<IResult> UploadAsync(HttpContext http, ClaimsPrincipal user, CatalogueService catalogue, IOptions<DistributionOptions> options,
        string appId, CancellationToken ct)
    {
        // Who may upload is decided before a byte of the body is read; only then may the body be large.
        await catalogue.EnsureUploaderAsync(user.Actor(), appId, ct);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.Value.MaxArtifactBytes + 1024 * 1024;
        }
        var fields = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var type = http.Request.ContentType;
        if (type is not null && MediaTypeHeaderValue.TryParse(type, out var media) && media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value
                ?? throw TouchpointException.Invalid("multipart 请求缺少 boundary");
            var reader = new MultipartReader(boundary, http.Request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    return TypedResults.Ok(await catalogue.AddVersionAsync(user.Actor(), appId, section.Body, fileName, Form(fields), ct));
                }
                fields[name] = await ReadFieldAsync(section.Body, name, ct);
            }
            throw TouchpointException.Invalid("请上传文件（multipart 字段 file）");
        }
        return TypedResults.Ok(await catalogue.AddVersionAsync(user.Actor(), appId, http.Request.Body, fields.GetValueOrDefault("fileName"), Form(fields), ct));
    }

    /// <summary>A text field of the form, at most 4,000 characters (release notes are 2,000): never read unbounded.</summary>
    private static async Task<string> ReadFieldAsync(Stream body, string name, CancellationToken ct)
    {
        using var text = new StreamReader(body);
        var buffer = new char[4001];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await text.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            length += read;
        }
        return length > 4000 ? throw TouchpointException.Invalid($"表单字段 {name} 过长") : new string(buffer, 0, length);
    }

    private static VersionForm Form(Dictionary<string, string> fields) => new(
        fields.GetValueOrDefault("releaseNotes"),
        fields.GetValueOrDefault("versionName"),
        fields.GetValueOrDefault("versionCode") is { Length: > 0 } code
            ? long.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw TouchpointException.Invalid("版本序号必须是正整数")
            : null,
        fields.GetValueOrDefault("osVersion"));

    private static async Task<IResult> ExportAsync(HttpContext http, ClaimsPrincipal user, DistributionQueries queries, long id, TargetState? state,
        string? reason, string? sn, ExportFormat? format, CancellationToken ct)
    {
        var fmt = format ?? ExportFormat.Xlsx;
        var task = await queries.GetAsync(user.Actor(), id, ct);
        var fileName = $"执行详情-{task.Id}-{ChinaTime.Format(DateTime.UtcNow, "yyyyMMdd-HHmmss")}.{(fmt == ExportFormat.Csv ? "csv" : "xlsx")}";
        http.Response.ContentType = fmt == ExportFormat.Csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        http.Response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment")
        {
            FileNameStar = fileName, FileName = fmt == ExportFormat.Csv ? "targets.csv" : "targets.xlsx",
        }.ToString();
        await queries.WriteExportAsync(user.Actor(), id, new TargetQuery(state, reason, sn), fmt, http.Response.Body, ct);
        return TypedResults.Empty;
    }

    /// <summary>
    /// The artifact, with range requests (a dropped download resumes), for a device whose job names it: the token is for
    /// this target and attempt, the target is still in flight, and the file is the version's.
    /// </summary>
    private static async Task<IResult> DownloadAsync(HttpContext http, DownloadTokens tokens, ArtifactStore store,
        IDbContextFactory<TouchpointDb> factory, string sha256, string? token, CancellationToken ct)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit) || tokens.Read(token, sha256) is not { } grant)
        {
            return TypedResults.NotFound();
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var live = await (from t in db.DistributionTargets
                          join i in db.DistributionTaskItems on t.ItemId equals (long?)i.Id
                          join v in db.AppVersions on i.AppVersionId equals (long?)v.Id
                          where t.Id == grant.TargetId && t.Attempt == grant.Attempt && v.ArtifactSha256 == sha256
                              && (t.State == TargetState.Sent || t.State == TargetState.Downloading || t.State == TargetState.Downloaded)
                          select v.SizeBytes).AnyAsync(ct);
        if (!live || !store.Exists(sha256))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.PhysicalFile(store.PathOf(sha256), "application/octet-stream", enableRangeProcessing: true,
            entityTag: new EntityTagHeaderValue($"\"{sha256}\""));
    }
}
