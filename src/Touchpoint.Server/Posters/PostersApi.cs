using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Touchpoint.Core.Common;
using Touchpoint.Core.Posters;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Common;
using Touchpoint.Server.Distribution;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Posters;

public sealed record PosterModeEdit(bool? AdminMode);

public sealed record PosterModeBatch(IReadOnlyList<string>? Sns, bool All, bool? AdminMode);

public sealed record PosterModeResult(int Changed);

/// <summary>电子海报 for the console, the device's image downloads and the clerk's phone page.</summary>
public static class PostersApi
{
    public static IEndpointRouteBuilder MapPostersApi(this IEndpointRouteBuilder app)
    {
        var posters = app.MapApiGroup("/api/posters");
        posters.MapGet("/", async (ClaimsPrincipal user, PosterLibrary library, CancellationToken ct) =>
            TypedResults.Ok(await library.ListAsync(user.Actor(), ct)));
        posters.MapPost("/", async (HttpContext http, ClaimsPrincipal user, PosterLibrary library, CancellationToken ct) =>
        {
            var (fields, file) = await ReadUploadAsync(http, ct);
            return TypedResults.Ok(await library.UploadAsync(user.Actor(), fields.GetValueOrDefault("name"), file, ct));
        });
        posters.MapGet("/{id:long}/thumbnail", async (ClaimsPrincipal user, PosterLibrary library, long id, CancellationToken ct) =>
        {
            var (path, type) = await library.FileAsync(user.Actor(), id, thumbnail: true, ct);
            return TypedResults.PhysicalFile(path, type);
        });
        posters.MapGet("/{id:long}/image", async (ClaimsPrincipal user, PosterLibrary library, long id, CancellationToken ct) =>
        {
            var (path, type) = await library.FileAsync(user.Actor(), id, thumbnail: false, ct);
            return TypedResults.PhysicalFile(path, type);
        });
        // The devices the caller may place on, by region, type and model: placement "by filter".
        posters.MapGet("/placeable", async (ClaimsPrincipal user, PosterPlacements placements, string? region, string? type, string? model,
            CancellationToken ct) => TypedResults.Ok(await placements.PlaceableAsync(user.Actor(), Devices.DeviceFilter.From(region, type, model), ct)));
        posters.MapPost("/placements/check", async (ClaimsPrincipal user, PosterPlacements placements, PlacementRequest body, CancellationToken ct) =>
            TypedResults.Ok(await placements.CheckAsync(user.Actor(), body, PosterPath.Console, ct)));
        posters.MapPost("/placements", async (ClaimsPrincipal user, PosterPlacements placements, PlacementRequest body, CancellationToken ct) =>
            TypedResults.Ok(await placements.PlaceAsync(user.Actor(), body, PosterPath.Console, ct)));
        posters.MapDelete("/placements/{id:long}", async (ClaimsPrincipal user, PosterPlacements placements, long id, CancellationToken ct) =>
        {
            await placements.RemoveAsync(user.Actor(), id, ct);
            return TypedResults.NoContent();
        });
        posters.MapGet("/wall", async (ClaimsPrincipal user, PosterScreens screens, string? sn, string? region, string? type, string? model,
            CancellationToken ct) => TypedResults.Ok(await screens.WallAsync(user.Actor(), sn, ct, Devices.DeviceFilter.From(region, type, model))));
        posters.MapGet("/campaigns", async (ClaimsPrincipal user, PosterCampaigns campaigns, CancellationToken ct) =>
            TypedResults.Ok(await campaigns.ListAsync(user.Actor(), ct)));
        posters.MapPost("/campaigns", async (ClaimsPrincipal user, PosterCampaigns campaigns, NewCampaign body, CancellationToken ct) =>
            TypedResults.Ok(await campaigns.StartAsync(user.Actor(), body, ct)));
        posters.MapPost("/campaigns/{id:long}/withdraw", async (ClaimsPrincipal user, PosterCampaigns campaigns, long id, WithdrawCampaign body, CancellationToken ct) =>
            TypedResults.Ok(await campaigns.WithdrawAsync(user.Actor(), id, body.Reason, ct)));
        posters.MapPost("/admin-mode", async (ClaimsPrincipal user, PosterModes modes, PosterModeBatch body, CancellationToken ct) =>
            TypedResults.Ok(new PosterModeResult(await modes.SetAsync(user.Actor(), body.Sns, body.All,
                body.AdminMode ?? throw TouchpointException.Invalid("请说明开启还是关闭管理员模式（adminMode）"), ct))));

        var devices = app.MapApiGroup("/api/devices/{sn}");
        devices.MapGet("/posters", async (ClaimsPrincipal user, PosterPlacements placements, string sn, CancellationToken ct) =>
            TypedResults.Ok(await placements.OnDeviceAsync(user.Actor(), sn, ct)));
        devices.MapGet("/screen", async (ClaimsPrincipal user, PosterScreens screens, string sn, CancellationToken ct) =>
            TypedResults.Ok(await screens.ScreenAsync(user.Actor(), sn, ct)));
        devices.MapGet("/poster-mode", async (ClaimsPrincipal user, PosterModes modes, string sn, CancellationToken ct) =>
            TypedResults.Ok(await modes.GetAsync(user.Actor(), sn, ct)));
        devices.MapPut("/poster-mode", async (ClaimsPrincipal user, PosterModes modes, string sn, PosterModeEdit body, CancellationToken ct) =>
            TypedResults.Ok(new PosterModeResult(await modes.SetAsync(user.Actor(), [sn], false,
                body.AdminMode ?? throw TouchpointException.Invalid("请说明开启还是关闭管理员模式（adminMode）"), ct))));

        app.MapApiGroup("/api/tools/posters").MapGet("/", async (ClaimsPrincipal user, PosterScreens screens, string? sn, long? posterId, CancellationToken ct) =>
            TypedResults.Ok(await screens.TroubleshootAsync(user.Actor(), sn is { Length: > 0 } ? sn : throw TouchpointException.Invalid("请输入设备 SN"), posterId, ct)));

        // The clerk's code, or a 店员账号 session in the X-Clerk-Session header, is the credential: no console cookie.
        var clerk = app.MapGroup("/api/clerk/{sn}").AllowAnonymous().AddEndpointFilter<TouchpointErrorFilter>().DisableAntiforgery();
        clerk.MapGet("/", async (HttpContext http, ClerkPosters clerks, string sn, string? code, CancellationToken ct) =>
            TypedResults.Ok(await clerks.OpenAsync(sn, Pass(http, code), ct)));
        clerk.MapPost("/posters", async (HttpContext http, ClerkPosters clerks, string sn, string? code, CancellationToken ct) =>
        {
            var (fields, file) = await ReadUploadAsync(http, ct, fileRequired: false);
            var posterId = fields.GetValueOrDefault("posterId") is { Length: > 0 } id
                ? long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw TouchpointException.Invalid("posterId 应为海报编号")
                : (long?)null;
            return TypedResults.Ok(await clerks.PlaceAsync(sn, Pass(http, code), new ClerkPlacement(fields.GetValueOrDefault("name"),
                fields.GetValueOrDefault("clerkName"), fields.GetValueOrDefault("clerkPhone"), Time(fields, "start"), Time(fields, "end"), posterId),
                posterId is null ? file : null, ct));
        });
        app.MapPost("/api/clerk-sessions", async (HttpContext http, StoreClerks clerks, ClerkSignIn body, CancellationToken ct) =>
                TypedResults.Ok(await clerks.SignInAsync(body, Security.ClientAddress.KeyOf(http.Connection.RemoteIpAddress), ct)))
            .AllowAnonymous().AddEndpointFilter<TouchpointErrorFilter>().DisableAntiforgery();

        var accounts = app.MapApiGroup("/api/clerks");
        accounts.MapGet("/", async (ClaimsPrincipal user, StoreClerks clerks, CancellationToken ct) => TypedResults.Ok(await clerks.ListAsync(user.Actor(), ct)));
        accounts.MapPost("/", async (ClaimsPrincipal user, StoreClerks clerks, ClerkEdit body, CancellationToken ct) =>
            TypedResults.Ok(await clerks.CreateAsync(user.Actor(), body, ct)));
        accounts.MapPut("/{id:long}", async (ClaimsPrincipal user, StoreClerks clerks, long id, ClerkChange body, CancellationToken ct) =>
            TypedResults.Ok(await clerks.UpdateAsync(user.Actor(), id, body, ct)));
        accounts.MapDelete("/{id:long}", async (ClaimsPrincipal user, StoreClerks clerks, long id, CancellationToken ct) =>
        {
            await clerks.DeleteAsync(user.Actor(), id, ct);
            return TypedResults.NoContent();
        });

        app.MapGet(PosterTokens.ContentPath + "/{sha256}", ContentAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    public static IServiceCollection AddPosters(this IServiceCollection services) => services
        .AddSingleton<PosterTokens>().AddSingleton<PosterContentCache>().AddSingleton<PosterDelivery>().AddSingleton<PosterLibrary>().AddSingleton<PosterPlacements>()
        .AddSingleton<PosterModes>().AddSingleton<ClerkPosters>().AddSingleton<StoreClerks>()
        .AddSingleton<Microsoft.AspNetCore.Identity.IPasswordHasher<StoreClerk>, Microsoft.AspNetCore.Identity.PasswordHasher<StoreClerk>>().AddSingleton<PosterScreens>().AddSingleton<PosterCampaigns>().AddSingleton<PosterAds>()
        .AddSingleton<OpenApi.IGatewayMethod, AdvertiserMaterialCreateMethod>().AddSingleton<OpenApi.IGatewayMethod, AdvertiserAdCreateMethod>()
        .AddSingleton<OpenApi.IGatewayMethod, AdvertiserAdModifyMethod>().AddSingleton<OpenApi.IGatewayMethod, AdvertiserAdCancelMethod>()
        .AddSingleton<OpenApi.IGatewayMethod, AdvertiserAdQueryMethod>().AddSingleton<OpenApi.IGatewayMethod, AdvertiserAdBatchQueryMethod>();

    /// <summary>
    /// A poster image for the device its schedule was sent to, with range requests. The signed address is the
    /// permission (issued for that device and that image only, for a week), so a fleet's downloads cost no database
    /// read: 10,000 devices fetch a new poster at once. An address outliving its placement fetches only an image the
    /// device was already given.
    /// </summary>
    private static async Task<IResult> ContentAsync(PosterTokens tokens, PosterContentCache images, string sha256, string? token, CancellationToken ct)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit) || tokens.ReadContent(token, sha256) is null
            || await images.GetAsync(sha256, ct) is not { } image)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Bytes(image.Bytes, image.ContentType, enableRangeProcessing: true, entityTag: new EntityTagHeaderValue($"\"{sha256}\""));
    }

    /// <summary>
    /// An image upload: multipart with the image as the part named <c>file</c> and text fields before or after it, or
    /// the raw body with the fields in the query string. The image is held in memory, bounded (posters are small).
    /// </summary>
    private static async Task<(Dictionary<string, string> Fields, Stream File)> ReadUploadAsync(HttpContext http, CancellationToken ct,
        bool fileRequired = true)
    {
        var fields = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        if (http.Request.ContentType is { } type && MediaTypeHeaderValue.TryParse(type, out var media)
            && media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value ?? throw TouchpointException.Invalid("multipart 请求缺少 boundary");
            var reader = new MultipartReader(boundary, http.Request.Body);
            MemoryStream? file = null;
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }
                if (disposition.IsFileDisposition())
                {
                    file = await PosterImages.ReadBoundedAsync(section.Body, ct);
                    continue;
                }
                using var text = new StreamReader(section.Body);
                var buffer = new char[201];
                var length = await text.ReadBlockAsync(buffer, ct);
                if (length > 200)
                {
                    throw TouchpointException.Invalid("表单字段过长");
                }
                fields[HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? ""] = new string(buffer, 0, length);
            }
            return (fields, file ?? (fileRequired ? throw TouchpointException.Invalid("请上传海报图片（multipart 字段 file）") : Stream.Null));
        }
        return (fields, http.Request.Body);
    }

    private static ClerkPass Pass(HttpContext http, string? code) =>
        new(code, http.Request.Headers["X-Clerk-Session"].FirstOrDefault());

    private static DateTime? Time(Dictionary<string, string> fields, string name) => fields.GetValueOrDefault(name) is { Length: > 0 } text
        ? DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at
            : throw TouchpointException.Invalid($"时间格式不正确：{text}（例如 2026-12-24 00:00）")
        : null;
}
