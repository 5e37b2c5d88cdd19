namespace Touchpoint.Server.DeviceChannel;

/// <summary>The device MQTT endpoint, bound from "DeviceChannel".</summary>
public sealed class DeviceChannelOptions
{
    /// <summary>Run the device channel at all (the embedded broker, or the link to an external one).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Embedded (one node, nothing to install) or External (several nodes behind mosquitto, EMQX …).</summary>
    public DeviceBrokerMode Broker { get; set; } = DeviceBrokerMode.Embedded;
    /// <summary>Used when <see cref="Broker"/> is External.</summary>
    public ExternalBrokerOptions External { get; set; } = new();
    /// <summary>
    /// Behind an external broker: a device not heard from (heartbeat, telemetry) for this long is recorded offline,
    /// in case its last will was lost while no platform node was connected.
    /// </summary>
    public double HeartbeatTimeoutSeconds { get; set; } = 150;
    public int Port { get; set; } = 1883;
    public string BindAddress { get; set; } = "0.0.0.0";
    /// <summary>Plain MQTT on <see cref="Port"/>; turn it off once every terminal speaks MQTTS.</summary>
    public bool PlainTcp { get; set; } = true;
    /// <summary>MQTTS (MQTT over TLS) on <see cref="TlsPort"/> when a certificate is configured (PFX with its private key).</summary>
    public string? TlsCertificatePath { get; set; }
    public string? TlsCertificatePassword { get; set; }
    public int TlsPort { get; set; } = 8883;
    /// <summary>MQTT over WebSocket on the web port, at this path (embedded broker only; empty to turn it off).</summary>
    public string WebSocketPath { get; set; } = "/mqtt";
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

public enum DeviceBrokerMode
{
    Embedded,
    External,
}

/// <summary>The external broker the platform connects to as a client, bound from "DeviceChannel:External".</summary>
public sealed class ExternalBrokerOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 1883;
    public bool UseTls { get; set; }
    /// <summary>The platform's own account on the broker; with MosquittoDynamicSecurity it must be allowed to administer it.</summary>
    public string? Username { get; set; }
    public string? Password { get; set; }
    /// <summary>Unique per node; by default from the machine name and process id.</summary>
    public string? ClientId { get; set; }
    /// <summary>Nodes in the same group share the uplinks: each message goes to one of them.</summary>
    public string SharedGroup { get; set; } = "touchpoint";
    /// <summary>How device accounts reach the broker.</summary>
    public ExternalDeviceAccounts Accounts { get; set; } = ExternalDeviceAccounts.MosquittoDynamicSecurity;
    /// <summary>How long an answer from the broker's administration API may take.</summary>
    public double RequestTimeoutSeconds { get; set; } = 10;
}

public enum ExternalDeviceAccounts
{
    /// <summary>mosquitto 2's dynamic security plugin, administered over MQTT ($CONTROL/dynamic-security/v1).</summary>
    MosquittoDynamicSecurity,
    /// <summary>The operator keeps device accounts on the broker by other means; the platform only reads and writes topics.</summary>
    None,
}
