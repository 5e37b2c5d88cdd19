namespace Touchpoint.Server.DeviceChannel;

/// <summary>How the platform reaches devices: the embedded broker, or its client link to an external one.</summary>
public interface IDeviceDownlink
{
    /// <summary>False while the broker is not started or the link to the external broker is down.</summary>
    bool IsReady { get; }

    /// <summary>Publishes at QoS 1 to a device's downlink topic.</summary>
    Task PublishAsync(string topic, byte[] payload, CancellationToken ct);
}
