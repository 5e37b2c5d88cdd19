using System.Text.Json.Serialization;

namespace Touchpoint.Core.DeviceChannel;

/// <summary>
/// <c>down/voice</c>: every voice message set on the device, whole (sent on each change and on connect). TRADE ones play
/// after each payment announcement; CUSTOM ones on their schedule in the device's time. docs/device-protocol.md.
/// </summary>
public sealed record VoiceList(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("zone")] string Zone,
    [property: JsonPropertyName("items")] IReadOnlyList<VoiceItem> Items);

public sealed record VoiceItem(
    [property: JsonPropertyName("audio_id")] long AudioId,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("play_type")] string PlayType,
    [property: JsonPropertyName("start")] DateTime? Start = null,
    [property: JsonPropertyName("end")] DateTime? End = null,
    [property: JsonPropertyName("interval_seconds")] int? IntervalSeconds = null,
    [property: JsonPropertyName("until")] DateTimeOffset? Until = null)
{
    /// <summary>
    /// A message a grantee set lasts as long as its grant: <see cref="Until"/> is the grant's end, an instant, so the
    /// device stops it on time even offline. The owner's messages carry none.
    /// </summary>
    public bool LiveAt(DateTimeOffset now) => Until is not { } until || now < until;
}

/// <summary><c>down/speak</c>: say this now (alipay.commerce.iot.device.tradevoice.send: a payment taken elsewhere).</summary>
public sealed record SpeakMessage(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("trade_no")] string? TradeNo,
    [property: JsonPropertyName("volume")] int? Volume);

/// <summary><c>up/voice</c>: what the device said, each with its time (the console's 播报记录, broadcast.query's answer).</summary>
public sealed record VoiceReport(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("plays")] IReadOnlyList<VoicePlayed> Plays)
{
    public string? Problem() => Version != 1 ? $"voice version {Version} is not 1"
        : Plays is null or { Count: 0 or > 50 } ? "a voice report carries 1–50 plays"
        : Plays.Any(p => p.Text is null or { Length: 0 or > 200 } || p.Kind is not ("announcement" or "trade" or "custom") || (p.TradeNo?.Length ?? 0) > 64)
            ? "a voice play needs a text of at most 200 characters and a kind (announcement, trade, custom)" : null;
}

public sealed record VoicePlayed(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("audio_id")] long? AudioId = null,
    [property: JsonPropertyName("trade_no")] string? TradeNo = null);
