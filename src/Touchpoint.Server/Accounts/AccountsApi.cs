using System.Security.Claims;
using Touchpoint.Core.Accounts;
using Touchpoint.Server.Common;

namespace Touchpoint.Server.Accounts;

public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/accounts");
        api.MapGet("/", async (ClaimsPrincipal user, AccountService accounts, AccountRole? role, CancellationToken ct) =>
            TypedResults.Ok(await accounts.ListAsync(user.Actor(), role, ct)));
        api.MapPost("/", async (ClaimsPrincipal user, AccountService accounts, NewAccount request, CancellationToken ct) =>
        {
            var created = await accounts.CreateAsync(user.Actor(), request, ct);
            return TypedResults.Created($"/api/accounts/{created.Id}", created);
        });
        api.MapGet("/search", async (ClaimsPrincipal user, AccountService accounts, string? q, CancellationToken ct) =>
            TypedResults.Ok(await accounts.SearchCounterpartsAsync(user.Actor(), q, ct)));
        return app;
    }
}
