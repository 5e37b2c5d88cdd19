using Touchpoint.Core.Accounts;

namespace Touchpoint.Core.Grants;

/// <summary>
/// The one permission rule (R4): the owner may do everything; a grantee exactly what its active grants
/// from the device's <em>current</em> owner give, plus viewing; the platform operator may view (support);
/// everyone else nothing. Grants from a previous owner stop counting the moment ownership moves.
/// </summary>
public static class DeviceAccessRule
{
    /// <param name="actorId">Who asks.</param>
    /// <param name="actorRole">Their role.</param>
    /// <param name="deviceOwnerId">The device's current owner, or null.</param>
    /// <param name="grantedByCurrentOwner">The union of the actor's active grants issued by the current owner.</param>
    /// <param name="operation">What they want to do.</param>
    public static bool Allows(long actorId, AccountRole actorRole, long? deviceOwnerId,
        GrantPermissions grantedByCurrentOwner, DeviceOperation operation)
    {
        if (deviceOwnerId == actorId)
        {
            return true;
        }
        if (operation == DeviceOperation.View && actorRole == AccountRole.Operator)
        {
            return true;
        }
        if (deviceOwnerId is null)
        {
            return false;
        }
        return operation switch
        {
            DeviceOperation.View => grantedByCurrentOwner != GrantPermissions.None,
            DeviceOperation.Poster => grantedByCurrentOwner.HasFlag(GrantPermissions.Poster),
            DeviceOperation.AppDistribution => grantedByCurrentOwner.HasFlag(GrantPermissions.AppDistribution),
            DeviceOperation.Broadcast => grantedByCurrentOwner.HasFlag(GrantPermissions.Broadcast),
            DeviceOperation.RemoteManagement => grantedByCurrentOwner.HasFlag(GrantPermissions.RemoteManagement),
            _ => false,
        };
    }

    /// <summary>Union of the permissions of the grants that are active now and were issued by the current owner.</summary>
    public static GrantPermissions Effective(IEnumerable<Grant> grantsToActor, long? deviceOwnerId, DateTime nowUtc) =>
        grantsToActor
            .Where(g => g.OwnerId == deviceOwnerId && g.IsActiveAt(nowUtc))
            .Aggregate(GrantPermissions.None, (acc, g) => acc | g.Permissions);
}
