namespace Touchpoint.Server.Grants;

/// <summary>
/// Told when an owner revokes a grant, after the revocation is saved, with the devices it covered: what a grantee put on
/// those devices' screens or speakers by that grant is taken back now rather than at the device's next sync. A failure
/// here is logged, never undoes the revocation (the devices catch up when they connect).
/// </summary>
public interface IGrantEnded
{
    Task GrantRevokedAsync(IReadOnlyCollection<long> deviceIds, CancellationToken ct);
}
