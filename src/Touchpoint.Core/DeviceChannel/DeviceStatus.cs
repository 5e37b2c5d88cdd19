using System.Text.Json.Serialization;

namespace Touchpoint.Core.DeviceChannel;

/// <summary>
/// <c>up/status</c>: <c>{"v":1,"online":true}</c> once a device listens to its downlink, <c>{"v":1,"online":false}</c>
/// as its last will or before it leaves on purpose (<c>"reason"</c> then says why, e.g. <c>"restart"</c>). The embedded
/// broker sees connections itself; behind an external broker these messages are how the platform learns them.
/// </summary>
public sealed record DeviceStatus(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("online")] bool Online,
    [property: JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null)
{
    public const int MaxReasonLength = 50;
}
