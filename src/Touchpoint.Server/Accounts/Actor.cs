using System.Security.Claims;
using Touchpoint.Core.Accounts;

namespace Touchpoint.Server.Accounts;

/// <summary>The signed-in account on whose behalf a service acts. Built from the auth cookie's claims only.</summary>
public sealed record Actor(long Id, AccountRole Role, string DisplayName)
{
    /// <summary>
    /// Set when the account acts for another one (a provider's third-party app calling with a merchant's
    /// app_auth_token): device decisions then reach only that account's devices, by the grants it gave.
    /// </summary>
    public long? OnBehalfOfId { get; init; }

    public const string RoleClaim = ClaimTypes.Role;

    public bool Is(AccountRole role) => Role == role;

    public static Actor? From(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true ||
            !long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ||
            !Enum.TryParse<AccountRole>(user.FindFirstValue(RoleClaim), out var role))
        {
            return null;
        }
        return new Actor(id, role, user.FindFirstValue(ClaimTypes.Name) ?? "");
    }

    public static ClaimsPrincipal ToPrincipal(Account account, string scheme) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, account.DisplayName),
            new Claim("login", account.LoginName),
            new Claim(RoleClaim, account.Role.ToString()),
        ], scheme));
}
