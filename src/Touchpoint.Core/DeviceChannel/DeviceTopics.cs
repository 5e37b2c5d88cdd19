namespace Touchpoint.Core.DeviceChannel;

/// <summary>The kinds of message a device sends (docs/device-protocol.md, version 1).</summary>
public enum UplinkKind
{
    Telemetry,
    Heartbeat,
    Status,
    /// <summary>The device took a command.</summary>
    Ack,
    /// <summary>How a command ended.</summary>
    Result,
    /// <summary>Progress and outcome of a distribution job (docs/device-protocol.md).</summary>
    Job,
    /// <summary>The terminal's cashier starts or cancels a payment (docs/device-protocol.md).</summary>
    Cashier,
    /// <summary>What the idle screen shows: the poster schedule revision and the poster on air (docs/device-protocol.md).</summary>
    Screen,
    /// <summary>What the terminal said: announcements and voice messages, with their times (docs/device-protocol.md).</summary>
    Voice,
}

/// <summary>Topic layout v1: <c>tp/v1/d/{sn}/up/{kind}</c> from the device, <c>tp/v1/d/{sn}/down/{kind}</c> to it.</summary>
public static class DeviceTopics
{
    public const string Prefix = "tp/v1/d/";
    public const int MaxPayloadBytes = 64 * 1024;

    public static string Up(string sn, UplinkKind kind) => $"{Prefix}{sn}/up/{kind.ToString().ToLowerInvariant()}";
    public static string Down(string sn, string kind) => $"{Prefix}{sn}/down/{kind}";
    public static string DownFilter(string sn) => $"{Prefix}{sn}/down/#";

    /// <summary>The SN a downlink topic is for; null when it is not a downlink topic.</summary>
    public static string? DownSn(string topic)
    {
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var slash = topic.IndexOf('/', Prefix.Length);
        return slash > Prefix.Length && topic.AsSpan(slash).StartsWith("/down/") ? topic[Prefix.Length..slash] : null;
    }

    /// <summary>Parses an uplink topic; null when it is not one (or not a known kind).</summary>
    public static (string Sn, UplinkKind Kind)? ParseUp(string topic)
    {
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = topic[Prefix.Length..].Split('/');
        if (parts.Length != 3 || parts[1] != "up")
        {
            return null;
        }
        return parts[2] switch
        {
            "telemetry" => (parts[0], UplinkKind.Telemetry),
            "heartbeat" => (parts[0], UplinkKind.Heartbeat),
            "status" => (parts[0], UplinkKind.Status),
            "ack" => (parts[0], UplinkKind.Ack),
            "result" => (parts[0], UplinkKind.Result),
            "job" => (parts[0], UplinkKind.Job),
            "cashier" => (parts[0], UplinkKind.Cashier),
            "screen" => (parts[0], UplinkKind.Screen),
            "voice" => (parts[0], UplinkKind.Voice),
            _ => null,
        };
    }

    /// <summary>A device may subscribe only to its own downlink topics.</summary>
    public static bool MaySubscribe(string sn, string filter) =>
        filter == DownFilter(sn) || (filter.StartsWith($"{Prefix}{sn}/down/", StringComparison.Ordinal) && !filter.Contains('+') && !filter[..^1].Contains('#'));
}
