using System.Security.Claims;
using Touchpoint.Core.Broadcasts;
using Touchpoint.Core.Common;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Common;

namespace Touchpoint.Server.Broadcasts;

/// <summary>Both fields, always: a body without one is refused rather than read as off or silent.</summary>
public sealed record AnnouncementEdit(bool? Enabled, int? Volume);

public sealed record VoiceText(string? Text);

public sealed record VoiceSent(int Devices);

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
        devices.MapGet("/voice-plays", async (ClaimsPrincipal user, VoiceMessages voices, string sn, CancellationToken ct) =>
            TypedResults.Ok(await voices.PlaysAsync(user.Actor(), sn, ct)));
        var voice = app.MapApiGroup("/api/voice");
        voice.MapGet("/", async (ClaimsPrincipal user, VoiceMessages voices, CancellationToken ct) => TypedResults.Ok(await voices.ListAsync(user.Actor(), ct)));
        // A group of devices (region, type, model) the caller may set messages on: "per device or group".
        voice.MapGet("/devices", async (ClaimsPrincipal user, VoiceMessages voices, string? region, string? type, string? model, CancellationToken ct) =>
            TypedResults.Ok(await voices.TargetsAsync(user.Actor(), Devices.DeviceFilter.From(region, type, model), ct)));
        voice.MapPost("/", async (ClaimsPrincipal user, VoiceMessages voices, VoiceText body, CancellationToken ct) =>
            TypedResults.Ok(await voices.CreateAsync(user.Actor(), body.Text, ct)));
        voice.MapPost("/{id:long}/send", async (ClaimsPrincipal user, VoiceMessages voices, long id, VoiceSend body, CancellationToken ct) =>
            TypedResults.Ok(new VoiceSent(await voices.SendAsync(user.Actor(), body with { AudioId = id }, ct))));
        voice.MapDelete("/{id:long}/devices/{sn}", async (ClaimsPrincipal user, VoiceMessages voices, long id, string sn, CancellationToken ct) =>
        {
            await voices.RemoveAsync(user.Actor(), id, sn, ct);
            return TypedResults.NoContent();
        });
        voice.MapDelete("/{id:long}", async (ClaimsPrincipal user, VoiceMessages voices, long id, CancellationToken ct) =>
        {
            await voices.DeleteAsync(user.Actor(), id, ct);
            return TypedResults.NoContent();
        });
        return app;
    }

    public static IServiceCollection AddBroadcasts(this IServiceCollection services, IConfiguration configuration) => services
        .Configure<BroadcastOptions>(configuration.GetSection(BroadcastOptions.Section))
        .AddSingleton<Announcements>().AddSingleton<VoiceMessages>().AddSingleton<Grants.IGrantChanged>(s => s.GetRequiredService<VoiceMessages>()).AddSingleton<VoicePlaySweeper>().AddHostedService(s => s.GetRequiredService<VoicePlaySweeper>())
        .AddSingleton<OpenApi.IGatewayMethod, AudioCreateMethod>().AddSingleton<OpenApi.IGatewayMethod, AudioSendMethod>()
        .AddSingleton<OpenApi.IGatewayMethod, AudioQueryMethod>().AddSingleton<OpenApi.IGatewayMethod, AudioDeleteMethod>()
        .AddSingleton<OpenApi.IGatewayMethod, TradeVoiceSendMethod>().AddSingleton<OpenApi.IGatewayMethod, BroadcastQueryMethod>();
}
