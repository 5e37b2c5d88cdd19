namespace Touchpoint.Server.DeviceChannel;

/// <summary>The device MQTT endpoint, bound from "DeviceChannel".</summary>
public sealed class DeviceChannelOptions
{
    /// <summary>Run the embedded broker.</summary>
    public bool Enabled { get; set; } = true;
    public int Port { get; set; } = 1883;
    public string BindAddress { get; set; } = "0.0.0.0";
    /// <summary>Pending TCP connections the broker's listener queues (the OS caps it at net.core.somaxconn).</summary>
    public int ConnectionBacklog { get; set; } = 4096;
    /// <summary>How often buffered telemetry is written to the database.</summary>
    public double FlushSeconds { get; set; } = 0.5;
    /// <summary>How fresh 最后在线时间 is kept from heartbeats alone (telemetry and connects are written at once).</summary>
    public double LastSeenResolutionSeconds { get; set; } = 30;
    /// <summary>How long a remote command waits for its device before it expires.</summary>
    public double CommandTtlMinutes { get; set; } = 24 * 60;
    /// <summary>A command sent but not acknowledged is sent again after this long (while the device is online).</summary>
    public double CommandResendSeconds { get; set; } = 30;
}
