using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Common;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Grants;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Devices;

/// <summary>
/// The server-side check every feature calls before touching a device: (account, device, operation).
/// The decision itself is <see cref="DeviceAccessRule"/>; this class only fetches what it needs.
/// </summary>
public sealed class DeviceAccess(IDbContextFactory<TouchpointDb> factory, TimeProvider clock)
{
    public async Task<bool> AllowsAsync(Actor actor, long deviceId, DeviceOperation operation, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var facts = await db.Devices.Where(d => d.Id == deviceId).Select(d => new { d.OwnerId, d.ManufacturerId }).SingleOrDefaultAsync(ct);
        return facts is not null && await AllowsAsync(db, actor, deviceId, facts.OwnerId, operation, ct, facts.ManufacturerId);
    }

    /// <summary>Throws the console's message when the actor may not perform the operation on the device.</summary>
    public async Task<Device> RequireAsync(TouchpointDb db, Actor actor, string sn, DeviceOperation operation, CancellationToken ct)
    {
        var normalized = DeviceSn.Normalize(sn);
        var device = await db.Devices.SingleOrDefaultAsync(d => d.Sn == normalized, ct)
            ?? throw TouchpointException.NotFound($"设备不存在：{normalized}");
        if (!await AllowsAsync(db, actor, device.Id, device.OwnerId, operation, ct, device.ManufacturerId))
        {
            throw TouchpointException.Forbidden(operation switch
            {
                DeviceOperation.View => $"您无权查看设备 {normalized}",
                DeviceOperation.IssueKey when actor.Role == Core.Accounts.AccountRole.Manufacturer && device.ManufacturerId == actor.Id =>
                    $"设备 {normalized} 已交付所有者，厂商不能再签发设备密钥；请联系设备所有者",
                DeviceOperation.IssueKey => $"只有设备 {normalized} 的所有者或获得“远程管理”授权的账号可以签发设备密钥",
                _ => $"您没有设备 {normalized} 的“{operation.Chinese()}”权限",
            });
        }
        return device;
    }

    internal async Task<bool> AllowsAsync(TouchpointDb db, Actor actor, long deviceId, long? ownerId, DeviceOperation operation,
        CancellationToken ct, long? manufacturerId = null)
    {
        var granted = GrantPermissions.None;
        if (ownerId is not null && ownerId != actor.Id)
        {
            granted = await EffectiveGrantAsync(db, actor.Id, deviceId, ownerId.Value, ct);
        }
        return DeviceAccessRule.Allows(actor.Id, actor.Role, ownerId, granted, operation, manufacturerId, actor.OnBehalfOfId);
    }

    public async Task<GrantPermissions> EffectiveGrantAsync(TouchpointDb db, long granteeId, long deviceId, long ownerId, CancellationToken ct)
    {
        var grants = await db.Grants.AsNoTracking()
            .Where(g => g.GranteeId == granteeId && g.OwnerId == ownerId && g.Devices.Any(d => d.DeviceId == deviceId))
            .ToListAsync(ct);
        return DeviceAccessRule.Effective(grants, ownerId, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>
    /// Devices on which <paramref name="granteeId"/> holds a grant that is active now and was issued by the
    /// device's current owner: the same rule as <see cref="DeviceAccessRule.Effective"/>, written as SQL.
    /// </summary>
    public static IQueryable<Device> GrantedTo(TouchpointDb db, long granteeId, DateTime nowUtc) =>
        db.Devices.Where(d => db.GrantDevices.Any(gd => gd.DeviceId == d.Id && db.Grants.Any(g =>
            g.Id == gd.GrantId && g.GranteeId == granteeId && g.OwnerId == d.OwnerId &&
            g.RevokedAtUtc == null && (g.ExpiresAtUtc == null || g.ExpiresAtUtc > nowUtc))));

    /// <summary>
    /// Devices on which <paramref name="actor"/> may perform <paramref name="permission"/>: its own and those granted to it
    /// with that permission by their current owner; on behalf of a merchant, only that merchant's — the set form of
    /// <see cref="DeviceAccessRule.Allows"/> for the operations a grant carries.
    /// </summary>
    public static IQueryable<Device> Permitted(TouchpointDb db, Actor actor, GrantPermissions permission, DateTime nowUtc)
    {
        var bit = (int)permission;
        var id = actor.Id;
        var merchant = actor.OnBehalfOfId;
        return db.Devices.Where(d => (merchant == null || d.OwnerId == merchant) && (d.OwnerId == id ||
            db.GrantDevices.Any(gd => gd.DeviceId == d.Id && db.Grants.Any(g =>
                g.Id == gd.GrantId && g.GranteeId == id && g.OwnerId == d.OwnerId && ((int)g.Permissions & bit) != 0 &&
                g.RevokedAtUtc == null && (g.ExpiresAtUtc == null || g.ExpiresAtUtc > nowUtc)))));
    }
}
