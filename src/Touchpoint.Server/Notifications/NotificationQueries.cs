using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Common;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Notifications;

public sealed record DeliveryRow(long Id, string NotifyId, string AppId, string AppName, string MsgMethod, string Url,
    DeliveryStatus Status, int AttemptCount, DateTime CreatedAtUtc, DateTime NextAttemptAtUtc, DateTime? DeliveredAtUtc,
    IReadOnlyList<NotificationAttempt> Attempts);

/// <summary>The console's view of deliveries: the operator sees all, an app owner those to its apps.</summary>
public sealed class NotificationQueries(IDbContextFactory<TouchpointDb> factory, NotificationSignal signal, TimeProvider clock)
{
    public async Task<Paged<DeliveryRow>> ListAsync(Actor actor, PageRequest page, string? appId = null, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var deliveries = db.NotificationDeliveries.AsNoTracking();
        if (!actor.Is(AccountRole.Operator))
        {
            var mine = db.DeveloperApps.Where(a => a.OwnerId == actor.Id).Select(a => a.Id);
            deliveries = deliveries.Where(d => mine.Contains(d.AppId));
        }
        if (!string.IsNullOrWhiteSpace(appId))
        {
            var app = db.DeveloperApps.Where(a => a.AppId == appId.Trim()).Select(a => a.Id);
            deliveries = deliveries.Where(d => app.Contains(d.AppId));
        }
        var total = await deliveries.CountAsync(ct);
        var rows = await deliveries.OrderByDescending(d => d.Id).Skip(page.Skip).Take(page.PageSize).Include(d => d.Attempts)
            .Join(db.DeveloperApps, d => d.AppId, a => a.Id, (d, a) => new { d, a.AppId, a.Name }).ToListAsync(ct);
        return new Paged<DeliveryRow>(rows.OrderByDescending(r => r.d.Id).Select(r => new DeliveryRow(r.d.Id, r.d.NotifyId, r.AppId, r.Name, r.d.MsgMethod, r.d.Url,
            r.d.Status, r.d.AttemptCount, r.d.CreatedAtUtc, r.d.NextAttemptAtUtc, r.d.DeliveredAtUtc,
            r.d.Attempts.OrderBy(a => a.Id).ToList())).ToList(), total, page.Page, page.PageSize);
    }

    /// <summary>重新推送: an operator or owner asks for an immediate retry (also of a delivery that gave up).</summary>
    public async Task RetryNowAsync(Actor actor, long id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var delivery = await db.NotificationDeliveries.SingleOrDefaultAsync(d => d.Id == id, ct);
        var mayRetry = delivery is not null && (actor.Is(AccountRole.Operator)
            || await db.DeveloperApps.AnyAsync(a => a.Id == delivery.AppId && a.OwnerId == actor.Id, ct));
        if (!mayRetry)
        {
            throw Core.Common.TouchpointException.NotFound("通知不存在");
        }
        if (delivery!.Status == DeliveryStatus.Delivered)
        {
            throw Core.Common.TouchpointException.Conflict("该通知已送达");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        // Only a row no worker holds: re-queuing one whose attempt is in flight would send it twice.
        var queued = await db.NotificationDeliveries
            .Where(d => d.Id == id && d.Status != DeliveryStatus.Delivered && (d.ClaimedUntilUtc == null || d.ClaimedUntilUtc <= now))
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Status, DeliveryStatus.Pending).SetProperty(d => d.NextAttemptAtUtc, now), ct);
        if (queued == 0)
        {
            throw Core.Common.TouchpointException.Conflict("该通知正在推送中，请稍后查看结果");
        }
        signal.Poke();
    }
}
