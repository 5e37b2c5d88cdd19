using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Common;

namespace Touchpoint.Server.Infrastructure;

public static class SaveChangesExtensions
{
    /// <summary>
    /// Saves, turning a lost race (a unique index or a device's revision changed by another process) into a
    /// Chinese conflict message; any other failure propagates as the error it is. The transaction is rolled back, so nothing of the change is written.
    /// </summary>
    public static async Task SaveOrConflictAsync(this TouchpointDb db, CancellationToken ct,
        string message = "设备状态已被其他操作改变，未做任何更改，请刷新后重试")
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsLostRace())
        {
            throw TouchpointException.Conflict(message);
        }
    }
}
