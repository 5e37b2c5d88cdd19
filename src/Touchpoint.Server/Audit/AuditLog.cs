using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Audit;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Audit;

public sealed record AuditRow(long Id, DateTime AtUtc, string ActorName, AuditAction Action, string? DeviceSn, string Detail);

/// <summary>Audit lines are staged in the same context as the change they record, so both commit or neither.</summary>
public sealed class AuditLog(IDbContextFactory<TouchpointDb> factory)
{
    public static void Add(TouchpointDb db, TimeProvider clock, long actorId, AuditAction action, long? visibleToId,
        (long Id, string Sn)? device, string detail) =>
        db.AuditEntries.Add(new AuditEntry
        {
            AtUtc = clock.GetUtcNow().UtcDateTime,
            ActorId = actorId,
            Action = action,
            VisibleToId = visibleToId,
            DeviceId = device?.Id,
            DeviceSn = device?.Sn,
            Detail = detail,
        });

    /// <summary>The lines an account may read: its own (as affected owner) or, for the operator, all.</summary>
    public async Task<(int Total, IReadOnlyList<AuditRow> Rows)> ListAsync(Actor actor, string? deviceSn, int page, int pageSize,
        CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, 100);
        page = Math.Max(1, page);
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = db.AuditEntries.AsNoTracking();
        if (!actor.Is(AccountRole.Operator))
        {
            query = query.Where(e => e.VisibleToId == actor.Id);
        }
        if (!string.IsNullOrWhiteSpace(deviceSn))
        {
            var sn = deviceSn.Trim().ToUpperInvariant();
            query = query.Where(e => e.DeviceSn == sn);
        }
        var total = await query.CountAsync(ct);
        var rows = await query
            .OrderByDescending(e => e.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Join(db.Accounts, e => e.ActorId, a => a.Id, (e, a) => new { e, a.DisplayName })
            .ToListAsync(ct);
        return (total, rows.OrderByDescending(x => x.e.Id)
            .Select(x => new AuditRow(x.e.Id, x.e.AtUtc, x.DisplayName, x.e.Action, x.e.DeviceSn, x.e.Detail)).ToList());
    }
}
