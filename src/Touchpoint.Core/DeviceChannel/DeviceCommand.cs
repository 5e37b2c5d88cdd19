namespace Touchpoint.Core.DeviceChannel;

public enum CommandKind
{
    Restart,
    FactoryReset,
}

/// <summary>pending → sent → acknowledged → succeeded / failed, or expired if the device never took it in time.</summary>
public enum CommandStatus
{
    Pending,
    Sent,
    Acknowledged,
    Succeeded,
    Failed,
    Expired,
}

public static class CommandNames
{
    public static string Wire(this CommandKind kind) => kind switch
    {
        CommandKind.Restart => "restart",
        CommandKind.FactoryReset => "factory_reset",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static CommandKind? FromWire(string? kind) => kind switch
    {
        "restart" => CommandKind.Restart,
        "factory_reset" => CommandKind.FactoryReset,
        _ => null,
    };

    public static string Chinese(this CommandKind kind) => kind switch
    {
        CommandKind.Restart => "重启",
        CommandKind.FactoryReset => "恢复出厂设置",
        _ => kind.ToString(),
    };

    public static string Chinese(this CommandStatus status) => status switch
    {
        CommandStatus.Pending => "待下发",
        CommandStatus.Sent => "已下发",
        CommandStatus.Acknowledged => "设备已接收",
        CommandStatus.Succeeded => "执行成功",
        CommandStatus.Failed => "执行失败",
        CommandStatus.Expired => "已过期",
        _ => status.ToString(),
    };

    public static bool IsFinal(this CommandStatus status) => status is CommandStatus.Succeeded or CommandStatus.Failed or CommandStatus.Expired;
}

/// <summary>A remote action on one device, persisted with its lifecycle so that nothing is lost across restarts.</summary>
public sealed class DeviceCommand
{
    public long Id { get; set; }
    public long DeviceId { get; set; }
    public CommandKind Kind { get; set; }
    public CommandStatus Status { get; set; }
    public long RequestedById { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime ExpiresAtUtc { get; set; }
    public DateTime? SentAtUtc { get; set; }
    public int SendCount { get; set; }
    public DateTime? AcknowledgedAtUtc { get; set; }
    public DateTime? CompletedAtUtc { get; set; }
    public string? Result { get; set; }
}

/// <summary>The downlink command and the uplink answers (protocol v1).</summary>
public sealed record CommandMessage(
    [property: System.Text.Json.Serialization.JsonPropertyName("v")] int Version,
    [property: System.Text.Json.Serialization.JsonPropertyName("id")] long Id,
    [property: System.Text.Json.Serialization.JsonPropertyName("kind")] string Kind,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt);

public sealed record CommandAnswer(
    [property: System.Text.Json.Serialization.JsonPropertyName("v")] int Version,
    [property: System.Text.Json.Serialization.JsonPropertyName("id")] long Id,
    [property: System.Text.Json.Serialization.JsonPropertyName("ok")] bool? Ok = null,
    [property: System.Text.Json.Serialization.JsonPropertyName("message")] string? Message = null);
