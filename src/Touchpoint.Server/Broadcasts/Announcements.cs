using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Broadcasts;
using Touchpoint.Core.Common;
using Touchpoint.Core.Grants;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Broadcasts;

/// <summary>到账播报 as the console shows and edits it.</summary>
public sealed record AnnouncementView(string Sn, bool Enabled, int Volume);

/// <summary>
/// 到账播报 on a terminal: whether it says each payment aloud, and how loud. Anyone who sees the device sees the setting;
/// changing it is 播报运营 (the owner, or a grantee holding that permission). The next payment uses the new setting.
/// </summary>
public sealed class Announcements(IDbContextFactory<TouchpointDb> factory, DeviceAccess access, TimeProvider clock)
{
    public async Task<AnnouncementView> GetAsync(Actor actor, string sn, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.View, ct);
        return new AnnouncementView(device.Sn, device.AnnouncementEnabled, device.AnnouncementVolume);
    }

    public async Task<AnnouncementView> SetAsync(Actor actor, string sn, AnnouncementSettings settings, CancellationToken ct)
    {
        if (settings.Problem is { } problem)
        {
            throw TouchpointException.Invalid(problem);
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.Broadcast, ct);
        // The change and its audit entry commit together.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Devices.Where(d => d.Id == device.Id).ExecuteUpdateAsync(u => u
            .SetProperty(d => d.AnnouncementEnabled, settings.Enabled).SetProperty(d => d.AnnouncementVolume, settings.Volume), ct);
        Audit.AuditLog.Add(db, clock, actor.Id, Core.Audit.AuditAction.AnnouncementChanged, device.OwnerId, (device.Id, device.Sn),
            settings.Enabled ? $"到账播报：开启，音量 {settings.Volume}" : "到账播报：关闭");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new AnnouncementView(device.Sn, settings.Enabled, settings.Volume);
    }
}
