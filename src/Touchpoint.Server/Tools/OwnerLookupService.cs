using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Common;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Ownership;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Tools;

public enum OwnerLookupStatus
{
    /// <summary>No device with that SN in the registry.</summary>
    NotFound,
    /// <summary>未绑定: known device without an owner.</summary>
    Unbound,
    /// <summary>已绑定.</summary>
    Bound,
}

public sealed record OwnerLookupResult(string Sn, OwnerLookupStatus Status, string? MaskedOwner, DeviceType? Type);

/// <summary>
/// IoT查询设备所有者 (R5): whether a device has an owner, and who, masked. The budget is counted in the database, so it
/// holds across every node.
/// </summary>
public sealed class OwnerLookupService(IDbContextFactory<TouchpointDb> factory, IOptions<OwnerLookupOptions> options,
    Security.RequestThrottle throttle)
{

    /// <param name="sn">The SN as typed.</param>
    /// <param name="callerKey">Who is asking (account id); each caller has its own budget.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<OwnerLookupResult> LookupAsync(string? sn, string callerKey, CancellationToken ct = default)
    {
        var normalized = DeviceSn.Normalize(sn);
        var o = options.Value;
        if (!await throttle.TryAcquireAsync("owner-lookup:" + callerKey, o.PermitsPerWindow, o.Window, ct))
        {
            throw new TouchpointException(FailureKind.TooManyRequests, "查询过于频繁，请稍后再试");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var found = await db.Devices.AsNoTracking().Where(d => d.Sn == normalized)
            .Select(d => new { d.Type, Owner = db.Accounts.Where(a => a.Id == d.OwnerId).Select(a => a.DisplayName).FirstOrDefault() })
            .SingleOrDefaultAsync(ct);
        return found switch
        {
            null => new OwnerLookupResult(normalized, OwnerLookupStatus.NotFound, null, null),
            { Owner: null } => new OwnerLookupResult(normalized, OwnerLookupStatus.Unbound, null, found.Type),
            _ => new OwnerLookupResult(normalized, OwnerLookupStatus.Bound, OwnerNameMask.Mask(found.Owner), found.Type),
        };
    }
}
