using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Core.Grants;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Posters;
using Touchpoint.Server.Tests.Infrastructure;
using static Touchpoint.Server.Tests.Authorization.Rel;
using static Touchpoint.Server.Tests.Authorization.RowContext;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>
/// 电子海报: each account keeps its own poster library (the operator's is official posters); placing on a device is
/// 海报投放 (the owner, or a grantee holding it), taking down is the placer's or 海报投放; admin mode is the owner's
/// alone; the screen, the placements and the troubleshooting tool are viewing. The clerk's page answers the device's
/// one-use code only, and an image download answers only a device whose schedule names it.
/// </summary>
public static class PostersMatrix
{
    private const string Library = "/api/posters/";
    private const string Thumbnail = "/api/posters/{id:long}/thumbnail";
    private const string Image = "/api/posters/{id:long}/image";
    private const string Check = "/api/posters/placements/check";
    private const string Placeable = "/api/posters/placeable";
    private const string Placements = "/api/posters/placements";
    private const string Placement = "/api/posters/placements/{id:long}";
    private const string AdminModes = "/api/posters/admin-mode";
    private const string OnDevice = "/api/devices/{sn}/posters";
    private const string Screen = "/api/devices/{sn}/screen";
    private const string Mode = "/api/devices/{sn}/poster-mode";
    private const string Tool = "/api/tools/posters/";
    private const string Clerk = "/api/clerk/{sn}/";
    private const string ClerkPost = "/api/clerk/{sn}/posters";
    private const string Content = "/api/posters/content/{sha256}";
    private const string Campaigns = "/api/posters/campaigns";
    private const string Wall = "/api/posters/wall";
    private const string Withdraw = "/api/posters/campaigns/{id:long}/withdraw";

    private const string BadCode = "a code that is not the device's";
    private const string AdminOn = "the device is in admin mode";
    private const string NoToken = "no token";

    public static readonly IReadOnlyList<Row> Rows =
    [
        //  method    pattern     relation                  status  case
        new("GET",    Library,    Owner,                    200),
        new("GET",    Library,    Manufacturer,             200),  // an empty library
        new("GET",    Library,    Operator,                 200),  // official posters
        new("GET",    Library,    Anonymous,                401),
        new("POST",   Library,    Owner,                    200),
        new("POST",   Library,    GranteeWithPermission,    200),  // a provider's own library
        new("POST",   Library,    Operator,                 200),  // an official poster
        new("POST",   Library,    Manufacturer,             403),
        new("POST",   Library,    Anonymous,                401),
        new("GET",    Placeable,  Owner,                    200),  // lists its device
        new("GET",    Placeable,  GranteeWithPermission,    200),  // lists the device granted with 海报投放
        new("GET",    Placeable,  GranteeWithoutPermission, 200),  // lists none
        new("GET",    Placeable,  OtherMerchant,            200),  // lists none
        new("GET",    Placeable,  Anonymous,                401),
        new("GET",    Thumbnail,  Owner,                    200),
        new("GET",    Thumbnail,  GranteeWithPermission,    200),  // placed on a device it holds a grant on
        new("GET",    Thumbnail,  OtherMerchant,            404),
        new("GET",    Thumbnail,  Operator,                 200),
        new("GET",    Thumbnail,  Anonymous,                401),
        new("GET",    Image,      Owner,                    200),
        new("GET",    Image,      OtherMerchant,            404),
        new("GET",    Image,      Anonymous,                401),
        new("POST",   Check,      Owner,                    200),
        new("POST",   Check,      GranteeWithPermission,    200),  // 海报投放
        new("POST",   Check,      GranteeWithoutPermission, 403),
        new("POST",   Check,      OtherMerchant,            403),
        new("POST",   Check,      Operator,                 403),
        new("POST",   Check,      Anonymous,                401),
        new("POST",   Placements, Owner,                    200),
        new("POST",   Placements, GranteeWithPermission,    200),  // 海报投放
        new("POST",   Placements, GranteeWithoutPermission, 403),  // every permission but 海报投放
        new("POST",   Placements, OtherMerchant,            403),
        new("POST",   Placements, Rel.ServiceProvider,      403),
        new("POST",   Placements, Manufacturer,             403),
        new("POST",   Placements, Operator,                 403),  // official posters go by campaign
        new("POST",   Placements, Anonymous,                401),
        new("DELETE", Placement,  Owner,                    204),  // the owner's placement
        new("DELETE", Placement,  GranteeWithPermission,    204),  // 海报投放 takes down the owner's poster
        new("DELETE", Placement,  GranteeWithoutPermission, 403),
        new("DELETE", Placement,  OtherMerchant,            404),
        new("DELETE", Placement,  Operator,                 403),
        new("DELETE", Placement,  Anonymous,                401),
        new("POST",   AdminModes, Owner,                    200),
        new("POST",   AdminModes, GranteeWithPermission,    403),  // a grant does not hand the mode over
        new("POST",   AdminModes, OtherMerchant,            403),
        new("POST",   AdminModes, Operator,                 403),
        new("POST",   AdminModes, Anonymous,                401),
        new("GET",    OnDevice,   Owner,                    200),
        new("GET",    OnDevice,   GranteeWithPermission,    200),
        new("GET",    OnDevice,   GranteeWithoutPermission, 403),  // its grant was revoked
        new("GET",    OnDevice,   OtherMerchant,            403),
        new("GET",    OnDevice,   Operator,                 200),
        new("GET",    OnDevice,   Anonymous,                401),
        new("GET",    Screen,     Owner,                    200),
        new("GET",    Screen,     GranteeWithPermission,    200),
        new("GET",    Screen,     GranteeWithoutPermission, 403),
        new("GET",    Screen,     OtherMerchant,            403),
        new("GET",    Screen,     Operator,                 200),
        new("GET",    Screen,     Anonymous,                401),
        new("GET",    Mode,       Owner,                    200),
        new("GET",    Mode,       GranteeWithPermission,    200),
        new("GET",    Mode,       OtherMerchant,            403),
        new("GET",    Mode,       Anonymous,                401),
        new("PUT",    Mode,       Owner,                    200),
        new("PUT",    Mode,       GranteeWithPermission,    403),  // even with 海报投放
        new("PUT",    Mode,       OtherMerchant,            403),
        new("PUT",    Mode,       Operator,                 403),
        new("PUT",    Mode,       Anonymous,                401),
        new("GET",    Tool,       Owner,                    200),
        new("GET",    Tool,       GranteeWithPermission,    200),
        new("GET",    Tool,       GranteeWithoutPermission, 403),
        new("GET",    Tool,       OtherMerchant,            403),
        new("GET",    Tool,       Operator,                 200),  // platform support
        new("GET",    Tool,       Anonymous,                401),
        new("GET",    Clerk,      Anonymous,                200),  // the device's code
        new("GET",    Clerk,      Anonymous,                404,    BadCode),
        new("GET",    Clerk,      OtherMerchant,            404,    BadCode),  // a cookie is no code
        new("POST",   ClerkPost,  Anonymous,                200),
        new("POST",   ClerkPost,  Anonymous,                404,    BadCode),
        new("POST",   ClerkPost,  Anonymous,                403,    AdminOn),
        new("GET",    Content,    Anonymous,                200),  // a token from the device's schedule
        new("GET",    Content,    Anonymous,                404,    NoToken),
        new("GET",    Content,    Owner,                    404,    NoToken),
        new("GET",    Wall,       Owner,                    200),  // its own devices
        new("GET",    Wall,       GranteeWithPermission,    200),  // those granted with 海报投放
        new("GET",    Wall,       Operator,                 200),
        new("GET",    Wall,       Anonymous,                401),
        new("GET",    Campaigns,  Operator,                 200),
        new("GET",    Campaigns,  Owner,                    403),
        new("GET",    Campaigns,  Anonymous,                401),
        new("POST",   Campaigns,  Operator,                 200),  // 中心化海报 are the platform's
        new("POST",   Campaigns,  Owner,                    403),
        new("POST",   Campaigns,  GranteeWithPermission,    403),
        new("POST",   Campaigns,  Anonymous,                401),
        new("POST",   Withdraw,   Operator,                 200),  // platform support, with a reason
        new("POST",   Withdraw,   Owner,                    403),  // a merchant cannot take a campaign down
        new("POST",   Withdraw,   Anonymous,                401),
        .. Page("/operations/posters"), .. Page("/tools/posters"), .. Page("/operations/screens"),
        // The clerk's phone page is open: without the device's code it says the code is not valid, and shows nothing.
        new("GET",    "/clerk/{Sn}", Anonymous,             200),
        new("GET",    "/clerk/{Sn}", Anonymous,             200,    BadCode),
        new("POST",   "/clerk/{Sn}", Anonymous,             400),
    ];

    private static Row[] Page(string pattern) =>
    [
        new("GET",  pattern, Owner,     200),
        new("GET",  pattern, GranteeWithPermission, 200),
        new("GET",  pattern, Operator,  200),
        new("GET",  pattern, Anonymous, 302),
        new("POST", pattern, Owner,     400),
        new("POST", pattern, Anonymous, 302),
    ];

    public static readonly IReadOnlyDictionary<string, Arrange> Arrangements = new Dictionary<string, Arrange>
    {
        ["GET /operations/posters"] = _ => Task.FromResult(Get("/operations/posters", PublicMatrix.RedirectsTo("/login"))),
        ["POST /operations/posters"] = _ => Task.FromResult(new Call("/operations/posters", new FormUrlEncodedContent([]), PublicMatrix.RedirectsTo("/login"))),
        [$"GET {Wall}"] = async c => Get($"{Wall}?sn={await c.DeviceAsync(GrantPermissions.Poster)}", (_, body) =>
            c.Rel is Owner or GranteeWithPermission && !body.Contains("\"sn\"") ? "the wall does not show the device" : null),
        ["GET /operations/screens"] = _ => Task.FromResult(Get("/operations/screens", PublicMatrix.RedirectsTo("/login"))),
        ["POST /operations/screens"] = _ => Task.FromResult(new Call("/operations/screens", new FormUrlEncodedContent([]), PublicMatrix.RedirectsTo("/login"))),
        ["GET /tools/posters"] = _ => Task.FromResult(Get("/tools/posters", PublicMatrix.RedirectsTo("/login"))),
        ["POST /tools/posters"] = _ => Task.FromResult(new Call("/tools/posters", new FormUrlEncodedContent([]), PublicMatrix.RedirectsTo("/login"))),
        ["GET /clerk/{Sn}"] = async c =>
        {
            var (sn, code) = await ClerkCodeAsync(c, adminMode: false);
            var merchant = c.W.Owner.Name;
            return Get($"/clerk/{sn}?code={Uri.EscapeDataString(c.Is(BadCode) ? code[..^4] + "AAAA" : code)}", (_, body) =>
                System.Net.WebUtility.HtmlDecode(body).Contains(merchant, StringComparison.Ordinal) == c.Is(BadCode) ? $"the page {(c.Is(BadCode) ? "shows" : "does not show")} the merchant" : null);
        },
        ["POST /clerk/{Sn}"] = async c => new Call($"/clerk/{await c.W.OwnedDeviceAsync()}", new FormUrlEncodedContent([])),
        [$"GET {Library}"] = _ => Task.FromResult(Get("/api/posters")),
        [$"GET {Campaigns}"] = _ => Task.FromResult(Get(Campaigns)),
        [$"POST {Campaigns}"] = async c => Json(Campaigns, await CampaignRequestAsync(c)),
        [$"POST {Withdraw}"] = async c =>
        {
            var started = await c.W.Operator.Client.PostAsync<CampaignView>(Campaigns, await CampaignRequestAsync(c));
            return Json($"{Campaigns}/{started.Id}/withdraw", new WithdrawCampaign("素材版权到期，平台统一撤回"));
        },
        [$"POST {Library}"] = _ => Task.FromResult(new Call("/api/posters", Upload("矩阵海报"))),
        [$"GET {Thumbnail}"] = async c => Get(PosterLibrary.ThumbnailUrl((await PlacedAsync(c)).PosterId)),
        [$"GET {Image}"] = async c => Get($"/api/posters/{(await c.W.Owner.NewPosterAsync("矩阵原图")).Id}/image"),
        [$"GET {Placeable}"] = async c =>
        {
            var (sn, model) = await c.ModelledDeviceAsync(GrantPermissions.Poster);
            return Get($"{Placeable}?model={Uri.EscapeDataString(model)}", (_, body) =>
                body.Contains(sn, StringComparison.Ordinal) != c.Rel is Owner or GranteeWithPermission ? $"the filter {(body.Contains(sn, StringComparison.Ordinal) ? "lists" : "does not list")} the device" : null);
        },
        [$"POST {Check}"] = async c => Json("/api/posters/placements/check", await RequestAsync(c)),
        [$"POST {Placements}"] = async c => Json("/api/posters/placements", await RequestAsync(c)),
        [$"DELETE {Placement}"] = async c => Empty($"/api/posters/placements/{(await PlacedAsync(c)).Id}"),
        [$"POST {AdminModes}"] = async c => Json("/api/posters/admin-mode", new PosterModeBatch([await c.DeviceAsync(GrantPermissions.Poster)], false, true)),
        [$"GET {OnDevice}"] = async c => Get($"/api/devices/{await c.DeviceAsync()}/posters"),
        [$"GET {Screen}"] = async c => Get($"/api/devices/{await c.DeviceAsync()}/screen"),
        [$"GET {Mode}"] = async c => Get($"/api/devices/{await c.DeviceAsync()}/poster-mode"),
        [$"PUT {Mode}"] = async c => Json($"/api/devices/{await c.DeviceAsync(GrantPermissions.Poster)}/poster-mode", new PosterModeEdit(true)),
        [$"GET {Tool}"] = async c => Get($"/api/tools/posters?sn={await c.DeviceAsync()}"),
        [$"GET {Clerk}"] = async c =>
        {
            if (ClerksMatrix.IsSessionCase(c))
            {
                return await ClerksMatrix.PageAsync(c);
            }
            var (sn, code) = await ClerkCodeAsync(c, adminMode: false);
            return Get($"/api/clerk/{sn}?code={Uri.EscapeDataString(c.Is(BadCode) ? code[..^4] + "AAAA" : code)}");
        },
        [$"POST {ClerkPost}"] = async c =>
        {
            if (ClerksMatrix.IsSessionCase(c))
            {
                return await ClerksMatrix.PlaceAsync(c);
            }
            var (sn, code) = await ClerkCodeAsync(c, adminMode: c.Is(AdminOn));
            var form = Upload("店员海报");
            form.Add(new StringContent("小李"), "clerkName");
            form.Add(new StringContent("13700001111"), "clerkPhone");
            return new Call($"/api/clerk/{sn}/posters?code={Uri.EscapeDataString(c.Is(BadCode) ? code[..^4] + "AAAA" : code)}", form);
        },
        [$"GET {Content}"] = async c =>
        {
            var placed = await PlacedAsync(c, Owner);
            await using var db = await c.W.F.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync();
            var sha = await db.Posters.Where(p => p.Id == placed.PosterId).Select(p => p.ImageSha256).SingleAsync();
            var deviceId = await db.Devices.Where(d => d.Sn == placed.Sn).Select(d => d.Id).SingleAsync();
            var url = new Uri(c.W.F.Services.GetRequiredService<PosterTokens>().ContentUrl(deviceId, sha));
            return Get(c.Is(NoToken) ? url.AbsolutePath : url.PathAndQuery);
        },
    };

    private static MultipartFormDataContent Upload(string name)
    {
        var form = new MultipartFormDataContent { { new StringContent(name), "name" } };
        var file = new ByteArrayContent(TestImages.Png(256));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", "poster.png");
        return form;
    }

    /// <summary>A placement request by the row's caller: its own poster (the owner's, for those who keep none) onto a fresh device in admin mode.</summary>
    private static async Task<PlacementRequest> RequestAsync(RowContext c)
    {
        var sn = await c.DeviceAsync(GrantPermissions.Poster);
        await c.W.Owner.AdminModeAsync(sn, true);
        var caller = c.W.AccountFor(c.Rel);
        var poster = caller is null || c.Rel == Manufacturer ? await c.W.Owner.NewPosterAsync("矩阵海报") : await caller.NewPosterAsync("矩阵海报");
        return new PlacementRequest(poster.Id, [sn], null, null, null);
    }

    /// <summary>The owner's poster placed on a fresh device (granted as the row needs), as the owner places it.</summary>
    private static async Task<PlacementView> PlacedAsync(RowContext c, Rel? asRel = null)
    {
        var sn = await c.DeviceAsync(GrantPermissions.Poster);
        await c.W.Owner.AdminModeAsync(sn, true);
        var poster = await c.W.Owner.NewPosterAsync("矩阵投放");
        await c.W.Owner.PlaceOkAsync(poster.Id, [sn]);
        return (await c.W.Owner.Client.GetAsync<List<PlacementView>>($"/api/devices/{sn}/posters")).Single();
    }

    /// <summary>A campaign onto exactly one fresh device of the owner (its model made unique), with the operator's official poster.</summary>
    private static async Task<NewCampaign> CampaignRequestAsync(RowContext c)
    {
        var sn = await c.W.OwnedDeviceAsync();
        var model = "矩阵型号-" + Guid.NewGuid().ToString("N")[..8];
        await using (var db = await c.W.F.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync())
        {
            await db.Devices.Where(d => d.Sn == sn).ExecuteUpdateAsync(u => u.SetProperty(d => d.Model, model));
        }
        var poster = await c.W.Operator.NewPosterAsync("平台官方海报");
        return new NewCampaign("矩阵活动", poster.Id, null, null, model, null, null);
    }

    /// <summary>A fresh device of the owner and the code its screen would show.</summary>
    private static async Task<(string Sn, string Code)> ClerkCodeAsync(RowContext c, bool adminMode)
    {
        var sn = await c.W.OwnedDeviceAsync();
        await using var db = await c.W.F.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync();
        var device = await db.Devices.Where(d => d.Sn == sn).Select(d => new { d.Id, d.PosterRevision }).SingleAsync();
        var code = c.W.F.Services.GetRequiredService<PosterTokens>().ClerkToken(device.Id, device.PosterRevision);
        if (adminMode)
        {
            await c.W.Owner.AdminModeAsync(sn, true);
        }
        return (sn, code);
    }
}
