using System.Security.Claims;

namespace Touchpoint.Server.Accounts;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The actor of an authorized endpoint; authorization has already rejected anonymous callers.</summary>
    public static Actor Actor(this ClaimsPrincipal user) =>
        Accounts.Actor.From(user) ?? throw new InvalidOperationException("Endpoint reached without an authenticated account.");
}
