namespace Touchpoint.Core.DeviceChannel;

/// <summary>Why a device's online state changed, as kept in its connection history.</summary>
public static class ConnectionReason
{
    public const string Connected = "connected";
    /// <summary>External broker: heard from (heartbeat, telemetry) while recorded offline.</summary>
    public const string Reported = "reported";
    /// <summary>Left on purpose: a clean DISCONNECT, or a status message with a reason.</summary>
    public const string Disconnected = "disconnected";
    /// <summary>The link broke: keep-alive timeout, closed socket, the last will.</summary>
    public const string Lost = "lost";
    /// <summary>External broker: not heard from for the heartbeat timeout.</summary>
    public const string Timeout = "timeout";
    /// <summary>Embedded broker: the server stopped without seeing the device go (a crash, a kill).</summary>
    public const string ServerRestart = "server-restart";

    /// <summary>Counts as a drop in the network diagnostics.</summary>
    public static bool IsAbnormal(string reason) => reason is Lost or Timeout;

    /// <summary>The console's name of the event.</summary>
    public static string Chinese(bool online, string reason) => online ? "上线" : reason switch
    {
        Lost => "异常断线",
        Timeout => "心跳超时",
        ServerRestart => "服务重启",
        _ => "下线",
    };
}
