using System.Security.Claims;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Common;

namespace Touchpoint.Server.Gifts;

public sealed record MiniAppChoice(string AppId, string Name);

/// <summary>刷脸有礼 for the console: the merchant's (or the provider's) gifts, their terms and how they did.</summary>
public static class GiftsApi
{
    public static IEndpointRouteBuilder MapGiftsApi(this IEndpointRouteBuilder app)
    {
        var gifts = app.MapApiGroup("/api/gifts");
        gifts.MapGet("/", async (ClaimsPrincipal user, GiftCatalogue catalogue, CancellationToken ct) =>
            TypedResults.Ok(await catalogue.ListAsync(user.Actor(), ct)));
        gifts.MapGet("/{id:long}", async (ClaimsPrincipal user, GiftCatalogue catalogue, long id, CancellationToken ct) =>
            TypedResults.Ok(await catalogue.GetAsync(user.Actor(), id, ct)));
        gifts.MapPost("/", async (ClaimsPrincipal user, GiftCatalogue catalogue, GiftEdit body, CancellationToken ct) =>
            TypedResults.Ok(await catalogue.CreateAsync(user.Actor(), body, Core.Gifts.GiftSource.Console, ct)));
        gifts.MapPut("/{id:long}", async (ClaimsPrincipal user, GiftCatalogue catalogue, long id, GiftEdit body, CancellationToken ct) =>
            TypedResults.Ok(await catalogue.UpdateAsync(user.Actor(), id, body, ct)));
        gifts.MapPost("/{id:long}/stop", async (ClaimsPrincipal user, GiftCatalogue catalogue, long id, CancellationToken ct) =>
            TypedResults.Ok(await catalogue.StopAsync(user.Actor(), id, ct)));
        gifts.MapGet("/mini-apps", async (ClaimsPrincipal user, GiftCatalogue catalogue, CancellationToken ct) =>
            TypedResults.Ok((await catalogue.MiniAppsAsync(user.Actor(), ct)).Select(a => new MiniAppChoice(a.AppId, a.Name))));
        return app;
    }

    public static IServiceCollection AddGifts(this IServiceCollection services) => services
        .AddSingleton<GiftCatalogue>().AddSingleton<GiftSelection>()
        .AddSingleton<OpenApi.IGatewayMethod, MerchantPlanCreateOrModifyMethod>();
}
