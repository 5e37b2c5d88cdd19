using Touchpoint.Core.Accounts;

namespace Touchpoint.Core.Grants;

/// <summary>
/// The one permission rule (R4): the owner may do everything; a grantee exactly what its active grants
/// from the device's <em>current</em> owner give, plus viewing; the platform operator may view (support);
/// everyone else nothing. Grants from a previous owner stop counting the moment ownership moves.
/// A manufacturer may issue the key of a device it made while the device has no owner. A call made on behalf of an
/// account (a third-party app with the merchant's app_auth_token) reaches only that account's devices.
/// </summary>
public static class DeviceAccessRule
{
    /// <param name="actorId">Who asks.</param>
    /// <param name="actorRole">Their role.</param>
    /// <param name="deviceOwnerId">The device's current owner, or null.</param>
    /// <param name="grantedByCurrentOwner">The union of the actor's active grants issued by the current owner.</param>
    /// <param name="operation">What they want to do.</param>
    /// <param name="manufacturerId">The device's manufacturer, for <see cref="DeviceOperation.IssueKey"/>.</param>
    /// <param name="onBehalfOfId">Set when the actor acts for another account: only that account's devices count.</param>
    public static bool Allows(long actorId, AccountRole actorRole, long? deviceOwnerId,
        GrantPermissions grantedByCurrentOwner, DeviceOperation operation, long? manufacturerId = null, long? onBehalfOfId = null)
    {
        if (onBehalfOfId is not null && deviceOwnerId != onBehalfOfId)
        {
            return false;
        }
        if (deviceOwnerId == actorId)
        {
            return true;
        }
        if (operation == DeviceOperation.Collect)
        {
            // Only for the owner: the check above already made an on-behalf actor's device the merchant's.
            return onBehalfOfId is not null && deviceOwnerId is not null;
        }
        if (operation == DeviceOperation.View && actorRole == AccountRole.Operator)
        {
            return true;
        }
        if (deviceOwnerId is null)
        {
            return operation == DeviceOperation.IssueKey && manufacturerId == actorId && actorRole == AccountRole.Manufacturer;
        }
        return operation switch
        {
            DeviceOperation.View => grantedByCurrentOwner != GrantPermissions.None,
            DeviceOperation.Poster => grantedByCurrentOwner.HasFlag(GrantPermissions.Poster),
            DeviceOperation.AppDistribution => grantedByCurrentOwner.HasFlag(GrantPermissions.AppDistribution),
            DeviceOperation.Broadcast => grantedByCurrentOwner.HasFlag(GrantPermissions.Broadcast),
            DeviceOperation.RemoteManagement or DeviceOperation.IssueKey => grantedByCurrentOwner.HasFlag(GrantPermissions.RemoteManagement),
            _ => false,
        };
    }

    /// <summary>Union of the permissions of the grants that are active now and were issued by the current owner.</summary>
    public static GrantPermissions Effective(IEnumerable<Grant> grantsToActor, long? deviceOwnerId, DateTime nowUtc) =>
        grantsToActor
            .Where(g => g.OwnerId == deviceOwnerId && g.IsActiveAt(nowUtc))
            .Aggregate(GrantPermissions.None, (acc, g) => acc | g.Permissions);
}
