namespace Touchpoint.Server.DeviceChannel;

/// <summary>How the platform reaches devices: the embedded broker, or its client link to an external one.</summary>
public interface IDeviceDownlink
{
    /// <summary>False while the broker is not started or the link to the external broker is down.</summary>
    bool IsReady { get; }

    /// <summary>Publishes at QoS 1 to a device's downlink topic.</summary>
    Task PublishAsync(string topic, byte[] payload, CancellationToken ct);
}

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
