using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Common;
using Touchpoint.Core.Grants;
using Touchpoint.Core.Payments;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Payments;

/// <summary>The simulation's 摄像头脏污 switch on a terminal: remote management (the owner, or a grantee with 远程管理).</summary>
public sealed class CameraFlags(IDbContextFactory<TouchpointDb> factory, DeviceAccess access, TimeProvider clock)
{
    public async Task SetAsync(Actor actor, string sn, bool dirty, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.RemoteManagement, ct);
        await db.Devices.Where(d => d.Id == device.Id).ExecuteUpdateAsync(u => u.SetProperty(d => d.CameraDirty, dirty), ct);
        Audit.AuditLog.Add(db, clock, actor.Id, Core.Audit.AuditAction.CameraFlagChanged, device.OwnerId, (device.Id, device.Sn),
            dirty ? "模拟：摄像头脏污（多数刷脸将以 Z1010 失败）" : "模拟：摄像头已清洁");
        await db.SaveChangesAsync(ct);
    }
}
