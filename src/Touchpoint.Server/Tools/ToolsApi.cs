using System.Security.Claims;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Common;

namespace Touchpoint.Server.Tools;

public static class ToolsApi
{
    public static IEndpointRouteBuilder MapToolsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/tools");
        api.MapGet("/owner-lookup", async (ClaimsPrincipal user, OwnerLookupService lookup, string? sn, CancellationToken ct) =>
            TypedResults.Ok(await lookup.LookupAsync(sn, $"account:{user.Actor().Id}", ct)));
        return app;
    }
}
