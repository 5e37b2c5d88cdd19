using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Common;
using Touchpoint.Server.Common;

namespace Touchpoint.Server.Accounts;

public sealed record LoginRequest(string LoginName, string Password);

public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        // The console's login page posts a plain form here (cookies can only be set outside the Blazor circuit).
        app.MapPost("/account/login", LoginFormAsync).AllowAnonymous();
        app.MapPost("/account/logout", (Delegate)LogoutAsync);

        var api = app.MapGroup("/api/auth").AddEndpointFilter<TouchpointErrorFilter>().DisableAntiforgery();
        api.MapPost("/login", LoginJsonAsync).AllowAnonymous();
        api.MapPost("/logout", (Delegate)LogoutAsync);
        api.MapGet("/me", (System.Security.Claims.ClaimsPrincipal user) =>
        {
            var actor = user.Actor();
            return TypedResults.Ok(new { actor.Id, Role = actor.Role.ToString(), actor.DisplayName });
        }).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> LoginFormAsync(HttpContext http, AccountService accounts,
        [FromForm] string? loginName, [FromForm] string? password, [FromForm] string? returnUrl)
    {
        try
        {
            var account = await accounts.AuthenticateAsync(loginName, password, Security.ClientAddress.KeyOf(http.Connection.RemoteIpAddress), http.RequestAborted);
            await SignInAsync(http, account);
            return TypedResults.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
        }
        catch (TouchpointException e)
        {
            var query = $"?error={Uri.EscapeDataString(e.Message)}&login={Uri.EscapeDataString(loginName ?? "")}";
            if (IsLocal(returnUrl)) query += $"&returnUrl={Uri.EscapeDataString(returnUrl!)}";
            return TypedResults.LocalRedirect("/login" + query);
        }
    }

    private static async Task<IResult> LoginJsonAsync(HttpContext http, AccountService accounts, LoginRequest request)
    {
        var account = await accounts.AuthenticateAsync(request.LoginName, request.Password, Security.ClientAddress.KeyOf(http.Connection.RemoteIpAddress), http.RequestAborted);
        await SignInAsync(http, account);
        return TypedResults.Ok(new { account.Id, Role = account.Role.ToString(), account.DisplayName });
    }

    private static async Task<IResult> LogoutAsync(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return http.Request.Path.StartsWithSegments("/api") ? TypedResults.NoContent() : TypedResults.LocalRedirect("/login");
    }

    private static Task SignInAsync(HttpContext http, Account account) =>
        http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            Actor.ToPrincipal(account, CookieAuthenticationDefaults.AuthenticationScheme));

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\");
}
