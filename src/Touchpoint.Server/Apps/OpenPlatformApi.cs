using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Common;
using Touchpoint.Server.MemberInfo;
using Touchpoint.Server.Notifications;
using Touchpoint.Server.OpenApi;

namespace Touchpoint.Server.Apps;

public sealed record NewApp(string? Name, AppKind Kind);
public sealed record KeyText(string? Key);
public sealed record UrlText(string? Url);
public sealed record MethodList(IReadOnlyList<string> Methods);
public sealed record PackageCode(string? Code);
public sealed record ThirdPartyRef(string? ThirdPartyAppId);
public sealed record RejectReason(string? Reason);

/// <summary>The console's JSON endpoints for the open platform; the same services the pages use, the same checks.</summary>
public static class OpenPlatformApi
{
    /// <summary>An application's upload: a video and five pictures of at most 10 MB each, and the form around them.</summary>
    public const long MaxApplicationBytes = 6 * FieldApplicationRules.MaxMediaBytes + 64 * 1024;

    public static IEndpointRouteBuilder MapOpenPlatformApi(this IEndpointRouteBuilder app)
    {
        var open = app.MapApiGroup("/api/open");
        open.MapGet("/platform", (PlatformKeyring keyring, HttpRequest request) =>
            TypedResults.Ok(new { platformPublicKey = keyring.PublicKey, gateway = $"{request.Scheme}://{request.Host}/gateway.do" }));
        open.MapGet("/apps", async (ClaimsPrincipal user, AppService apps, CancellationToken ct) =>
            TypedResults.Ok((await apps.ListMineAsync(user.Actor(), ct)).Select(AppView.From)));
        open.MapPost("/apps", async (ClaimsPrincipal user, AppService apps, NewApp request, CancellationToken ct) =>
        {
            var created = await apps.CreateAsync(user.Actor(), request.Name, request.Kind, ct);
            return TypedResults.Created($"/api/open/apps/{created.AppId}", AppView.From(created));
        });
        open.MapGet("/apps/{appId}", async (ClaimsPrincipal user, AppService apps, string appId, CancellationToken ct) =>
            TypedResults.Ok(AppView.From(await apps.GetAsync(user.Actor(), appId, ct))));
        open.MapPut("/apps/{appId}/basic-info", async (ClaimsPrincipal user, AppService apps, string appId, BasicInfoChange change, CancellationToken ct) =>
            TypedResults.Ok(AppView.From(await apps.UpdateBasicInfoAsync(user.Actor(), appId, change, ct))));
        open.MapPut("/apps/{appId}/public-key", async (ClaimsPrincipal user, AppService apps, string appId, KeyText body, CancellationToken ct) =>
            TypedResults.Ok(AppView.From(await apps.SetPublicKeyAsync(user.Actor(), appId, body.Key, ct))));
        open.MapPost("/apps/{appId}/key-pair", async (ClaimsPrincipal user, AppService apps, string appId, CancellationToken ct) =>
            TypedResults.Ok(new { privateKey = await apps.GenerateKeyPairAsync(user.Actor(), appId, ct) }));
        open.MapPost("/apps/{appId}/aes-key", async (ClaimsPrincipal user, AppService apps, string appId, CancellationToken ct) =>
            TypedResults.Ok(new { aesKey = await apps.GenerateAesKeyAsync(user.Actor(), appId, ct) }));
        open.MapPost("/apps/{appId}/aes-key/reveal", async (ClaimsPrincipal user, AppService apps, string appId, CancellationToken ct) =>
            TypedResults.Ok(new { aesKey = await apps.RevealAesKeyAsync(user.Actor(), appId, ct) }));
        open.MapPut("/apps/{appId}/gateway", async (ClaimsPrincipal user, AppService apps, string appId, UrlText body, CancellationToken ct) =>
            TypedResults.Ok(AppView.From(await apps.SetGatewayAsync(user.Actor(), appId, body.Url, ct))));
        open.MapPut("/apps/{appId}/subscriptions", async (ClaimsPrincipal user, AppService apps, string appId, MethodList body, CancellationToken ct) =>
            TypedResults.Ok(AppView.From(await apps.SetSubscriptionsAsync(user.Actor(), appId, body.Methods, ct))));
        open.MapPost("/apps/{appId}/packages", async (ClaimsPrincipal user, AppService apps, string appId, PackageCode body, CancellationToken ct) =>
            TypedResults.Ok(AppView.From(await apps.AddFeaturePackageAsync(user.Actor(), appId, body.Code, ct))));
        open.MapGet("/apps/{appId}/authorizations", async (ClaimsPrincipal user, AppService apps, string appId, CancellationToken ct) =>
            TypedResults.Ok(await apps.ListAuthorizationsAsync(user.Actor(), appId, ct)));
        open.MapPost("/apps/{appId}/authorizations", async (ClaimsPrincipal user, AppService apps, string appId, ThirdPartyRef body, CancellationToken ct) =>
        {
            var created = await apps.AuthorizeAsync(user.Actor(), appId, body.ThirdPartyAppId, ct);
            return TypedResults.Ok(new { id = created.Id, createdAtUtc = created.CreatedAtUtc });
        });
        open.MapPost("/authorizations/{id:long}/revoke", async (ClaimsPrincipal user, AppService apps, long id, CancellationToken ct) =>
        {
            await apps.RevokeAuthorizationAsync(user.Actor(), id, ct);
            return TypedResults.NoContent();
        });
        open.MapGet("/notifications", async (ClaimsPrincipal user, NotificationQueries queries, string? appId, int? page, int? pageSize,
            HttpResponse response, CancellationToken ct) =>
            TypedResults.Ok((await queries.ListAsync(user.Actor(), PageRequest.Of(page, pageSize), appId, ct)).WriteTo(response)));
        open.MapPost("/notifications/{id:long}/retry", async (ClaimsPrincipal user, NotificationQueries queries, long id, CancellationToken ct) =>
        {
            await queries.RetryNowAsync(user.Actor(), id, ct);
            return TypedResults.NoContent();
        });

        var member = app.MapApiGroup("/api/member-info");
        member.MapGet("/applications", async (ClaimsPrincipal user, FieldApplicationService service, FieldApplicationStatus? status, string? appId,
            int? page, int? pageSize, HttpResponse response, CancellationToken ct) =>
            TypedResults.Ok((await service.ListAsync(user.Actor(), status, PageRequest.Of(page, pageSize), appId, ct)).WriteTo(response)));
        member.MapGet("/applications/{id:long}", async (ClaimsPrincipal user, FieldApplicationService service, long id, CancellationToken ct) =>
            TypedResults.Ok(await service.GetAsync(user.Actor(), id, ct)));
        member.MapPost("/applications/{id:long}/approve", async (ClaimsPrincipal user, FieldApplicationService service, long id, CancellationToken ct) =>
        {
            await service.ApproveAsync(user.Actor(), id, ct);
            return TypedResults.NoContent();
        });
        member.MapPost("/applications/{id:long}/reject", async (ClaimsPrincipal user, FieldApplicationService service, long id, RejectReason body, CancellationToken ct) =>
        {
            await service.RejectAsync(user.Actor(), id, body.Reason, ct);
            return TypedResults.NoContent();
        });
        member.MapGet("/media/{id:long}", async (ClaimsPrincipal user, FieldApplicationService service, long id, HttpContext http, CancellationToken ct) =>
        {
            var media = await service.GetMediaAsync(user.Actor(), id, ct);
            // Uploaded bytes are served inline only when they really are a picture or a video, never as HTML.
            var type = MediaFile.ServedType(media);
            var inline = type.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || type.StartsWith("video/", StringComparison.OrdinalIgnoreCase);
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return TypedResults.File(media.Content, inline ? type : "application/octet-stream", inline ? null : media.FileName);
        });
        member.MapPost("/apps/{appId}/applications", async (ClaimsPrincipal user, FieldApplicationService service, string appId,
            [FromForm] string? apiName, [FromForm] string? fieldName, [FromForm] string? packageCode, [FromForm] string? sceneCode,
            [FromForm] string? qpsAnswer, [FromForm] string? customerAnswer, IFormFileCollection files, CancellationToken ct) =>
        {
            var media = new List<MediaFile>();
            foreach (var file in files)
            {
                if (file.Length > FieldApplicationRules.MaxMediaBytes)
                {
                    // Refused before it is copied into memory.
                    throw OpenPlatformViolation.Invalid("isv.file-size-exceed", $"{file.Name}（{file.FileName}）超过 10MB");
                }
                media.Add(await MediaFile.FromFormFileAsync(file, ct));
            }
            var request = new FieldApplicationRequest(apiName, fieldName, packageCode, sceneCode, qpsAnswer, customerAnswer,
                media.Select(m => m.Describe()).ToList());
            var created = await service.ApplyFromConsoleAsync(user.Actor(), appId, request, media, ct);
            return TypedResults.Ok(new { id = created.Id, status = created.Status, expectedByUtc = created.ExpectedByUtc });
        }).WithMetadata(new RequestSizeLimitAttribute(MaxApplicationBytes));
        return app;
    }
}
