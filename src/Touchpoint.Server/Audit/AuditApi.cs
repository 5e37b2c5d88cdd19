using System.Security.Claims;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Common;

namespace Touchpoint.Server.Audit;

public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup("/api/audit").MapGet("/", async (ClaimsPrincipal user, AuditLog log, string? sn, int? page, int? pageSize,
            CancellationToken ct) =>
        {
            var (total, rows) = await log.ListAsync(user.Actor(), sn, page ?? 1, pageSize ?? 20, ct);
            return TypedResults.Ok(new { total, items = rows });
        });
        return app;
    }
}
