using System.Security.Claims;
using Touchpoint.Core.Broadcasts;
using Touchpoint.Core.Common;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Common;

namespace Touchpoint.Server.Broadcasts;

/// <summary>Both fields, always: a body without one is refused rather than read as off or silent.</summary>
public sealed record AnnouncementEdit(bool? Enabled, int? Volume);

/// <summary>播报运营 for the console.</summary>
public static class BroadcastsApi
{
    public static IEndpointRouteBuilder MapBroadcastsApi(this IEndpointRouteBuilder app)
    {
        var devices = app.MapApiGroup("/api/devices/{sn}");
        devices.MapGet("/announcement", async (ClaimsPrincipal user, Announcements announcements, string sn, CancellationToken ct) =>
            TypedResults.Ok(await announcements.GetAsync(user.Actor(), sn, ct)));
        devices.MapPut("/announcement", async (ClaimsPrincipal user, Announcements announcements, string sn, AnnouncementEdit body, CancellationToken ct) =>
            TypedResults.Ok(await announcements.SetAsync(user.Actor(), sn, new AnnouncementSettings(
                body.Enabled ?? throw TouchpointException.Invalid("请填写是否开启到账播报（enabled）"),
                body.Volume ?? throw TouchpointException.Invalid("请填写播报音量（volume，0–100）")), ct)));
        return app;
    }

    public static IServiceCollection AddBroadcasts(this IServiceCollection services) => services.AddSingleton<Announcements>();
}
