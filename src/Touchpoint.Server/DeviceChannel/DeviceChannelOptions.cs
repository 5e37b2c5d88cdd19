namespace Touchpoint.Server.DeviceChannel;

/// <summary>The device MQTT endpoint, bound from "DeviceChannel".</summary>
public sealed class DeviceChannelOptions
{
    /// <summary>Run the embedded broker.</summary>
    public bool Enabled { get; set; } = true;
    public int Port { get; set; } = 1883;
    public string BindAddress { get; set; } = "0.0.0.0";
    /// <summary>How often buffered telemetry is written to the database.</summary>
    public double FlushSeconds { get; set; } = 0.5;
}
