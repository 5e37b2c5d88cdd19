namespace Touchpoint.Server.DeviceChannel;

/// <summary>
/// Device accounts on the broker. The embedded broker checks signed connect tokens against the database itself and
/// needs no accounts; an external broker is told each device's password and, when a device misbehaves, to drop it.
/// </summary>
public interface IDeviceAccounts
{
    /// <summary>Creates the device's account or replaces its password; the broker drops a session with the old one.</summary>
    Task SetPasswordAsync(string sn, string password, CancellationToken ct);

    /// <summary>Closes the device's connection (it may connect again, and will when it is a real device).</summary>
    Task DisconnectAsync(string sn, CancellationToken ct);
}

/// <summary>The broker refused or did not answer a change of device accounts.</summary>
public sealed class BrokerAccountException(string message) : Exception(message);

/// <summary>An external broker whose device accounts the operator keeps (EMQX's own database, LDAP …).</summary>
public sealed class UnmanagedDeviceAccounts(ILogger<UnmanagedDeviceAccounts> logger) : IDeviceAccounts
{
    public Task SetPasswordAsync(string sn, string password, CancellationToken ct) => Task.CompletedTask;

    public Task DisconnectAsync(string sn, CancellationToken ct)
    {
        logger.LogWarning("Device {Sn} should be disconnected, but the broker's accounts are not managed by Touchpoint", sn);
        return Task.CompletedTask;
    }
}
