using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Common;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Grants;
using Touchpoint.Core.Posters;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Posters;

/// <summary>
/// 管理员模式 (R18), per device. Only the device's owner switches it, for chosen devices or all of them: it decides who
/// speaks for the merchant's screens (its clerks, or its batch placement, which may be a grantee's), which a grant does
/// not hand over. A switch moves the device's schedule on, so its QR code appears or goes.
/// </summary>
public sealed class PosterModes(IDbContextFactory<TouchpointDb> factory, DeviceAccess access, PosterDelivery delivery, PosterTokens tokens, TimeProvider clock)
{
    public async Task<PosterModeView> GetAsync(Actor actor, string sn, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.View, ct);
        var batch = await BatchPlacedAsync(db, device.Id, ct);
        return new PosterModeView(device.Sn, device.PosterAdminMode, batch, AdminMode.TurningOff(batch));
    }

    /// <summary>Switches the mode of the given devices (or, with <paramref name="all"/>, every device the actor owns); returns how many changed.</summary>
    public async Task<int> SetAsync(Actor actor, IReadOnlyList<string>? sns, bool all, bool adminMode, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        List<(long Id, string Sn)> devices;
        if (all)
        {
            devices = (await db.Devices.AsNoTracking().Where(d => d.OwnerId == actor.Id).Select(d => new { d.Id, d.Sn }).ToListAsync(ct))
                .Select(d => (d.Id, d.Sn)).ToList();
        }
        else
        {
            var wanted = (sns ?? []).Select(s => DeviceSn.Normalize(s ?? "")).Where(s => s.Length > 0).Distinct().ToList();
            if (wanted.Count == 0)
            {
                throw TouchpointException.Invalid("请选择设备");
            }
            if (wanted.Count > PosterPlacements.MaxDevices)
            {
                throw TouchpointException.Invalid($"一次最多切换 {PosterPlacements.MaxDevices} 台设备");
            }
            var found = await db.Devices.AsNoTracking().Where(d => wanted.Contains(d.Sn)).Select(d => new { d.Id, d.Sn, d.OwnerId }).ToListAsync(ct);
            var notOwned = wanted.Where(w => found.SingleOrDefault(f => f.Sn == w) is not { } f || f.OwnerId != actor.Id).ToList();
            if (notOwned.Count > 0)
            {
                // A grantee sees the device but may not switch: say so for a device it can see, not-found otherwise.
                var seen = notOwned.Count == 1 && found.SingleOrDefault(f => f.Sn == notOwned[0]) is { } one
                    && await access.AllowsAsync(actor, one.Id, DeviceOperation.View, ct);
                throw seen
                    ? TouchpointException.Forbidden($"只有设备 {notOwned[0]} 的所有者可以切换管理员模式")
                    : TouchpointException.Forbidden($"只有设备所有者可以切换管理员模式，以下设备不属于您：{string.Join("、", notOwned.Take(20))}");
            }
            devices = found.Select(d => (d.Id, d.Sn)).ToList();
        }
        var ids = devices.Select(d => d.Id).ToList();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.Devices.Where(d => ids.Contains(d.Id) && d.PosterAdminMode != adminMode).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.PosterAdminMode, adminMode).SetProperty(d => d.PosterRevision, d => d.PosterRevision + 1), ct);
        if (changed > 0)
        {
            Audit.AuditLog.Add(db, clock, actor.Id, Core.Audit.AuditAction.PosterAdminModeChanged, actor.Id, devices.Count == 1 ? devices[0] : null,
                $"{(adminMode ? "开启" : "关闭")}管理员模式：{changed} 台设备");
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        await delivery.PublishAsync(ids, ct);
        return changed;
    }

    /// <summary>The clerk page address the device's QR code carries now, for its owner to see (null in admin mode).</summary>
    public async Task<string?> ClerkUrlAsync(Actor actor, string sn, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.View, ct);
        return device.OwnerId != actor.Id || device.PosterAdminMode ? null : tokens.ClerkUrl(device.Sn, device.Id, device.PosterRevision);
    }

    private static Task<int> BatchPlacedAsync(TouchpointDb db, long deviceId, CancellationToken ct) =>
        db.DevicePosters.CountAsync(p => p.DeviceId == deviceId && p.RemovedAtUtc == null
            && (p.Path == PosterPath.Console || p.Path == PosterPath.Gateway), ct);
}
