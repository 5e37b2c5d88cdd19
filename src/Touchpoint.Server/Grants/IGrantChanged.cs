namespace Touchpoint.Server.Grants;

/// <summary>
/// Told when an owner grants or revokes, after the change is saved, with the devices it covers: what a grantee put on
/// those devices' screens or speakers follows the grant now rather than at the device's next sync — taken back on a
/// revocation, given the new end when a grant is renewed by a new one. A failure here is logged and never undoes the
/// change (the devices catch up when they connect).
/// </summary>
public interface IGrantChanged
{
    Task GrantChangedAsync(IReadOnlyCollection<long> deviceIds, CancellationToken ct);
}
