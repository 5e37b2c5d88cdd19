using System.Security.Claims;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Common;

namespace Touchpoint.Server.Grants;

public static class GrantsApi
{
    public static IEndpointRouteBuilder MapGrantsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/grants");
        api.MapGet("/issued", async (ClaimsPrincipal user, GrantService grants, int? page, int? pageSize, HttpResponse response, CancellationToken ct) =>
            TypedResults.Ok((await grants.ListIssuedAsync(user.Actor(), PageRequest.Of(page, pageSize), ct)).WriteTo(response)));
        api.MapGet("/received", async (ClaimsPrincipal user, GrantService grants, int? page, int? pageSize, HttpResponse response, CancellationToken ct) =>
            TypedResults.Ok((await grants.ListReceivedAsync(user.Actor(), PageRequest.Of(page, pageSize), ct)).WriteTo(response)));
        api.MapPost("/", async (ClaimsPrincipal user, GrantService grants, NewGrant request, CancellationToken ct) =>
        {
            var created = await grants.CreateAsync(user.Actor(), request, ct);
            return TypedResults.Created($"/api/grants/{created.Id}", created);
        });
        api.MapPost("/{id:long}/revoke", async (ClaimsPrincipal user, GrantService grants, long id, CancellationToken ct) =>
            TypedResults.Ok(await grants.RevokeAsync(user.Actor(), id, ct)));
        return app;
    }
}
