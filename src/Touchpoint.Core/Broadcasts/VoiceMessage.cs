namespace Touchpoint.Core.Broadcasts;

/// <summary>
/// A custom voice message (播报运营; Alipay's <c>alipay.commerce.iot.device.audio.create</c>): a text the terminal speaks
/// with its own speech engine. It belongs to the account that made it and is sent to devices with <see cref="DeviceVoice"/>.
/// </summary>
public sealed class VoiceAudio
{
    public long Id { get; set; }
    public long OwnerId { get; set; }
    /// <summary>The merchant a provider's app acted for (app_auth_token): the message is seen only under that merchant's token, and by the merchant.</summary>
    public long? OnBehalfOfId { get; set; }
    public required string Text { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? DeletedAtUtc { get; set; }

    public const int TextMaxLength = 100;
}

/// <summary>When a device plays a voice message: with each payment it announces, or on a schedule.</summary>
public enum VoicePlayType
{
    /// <summary>TRADE: after the payment announcement (到账播报), on each payment.</summary>
    Trade,
    /// <summary>CUSTOM_AUDIO: on the schedule start + k × interval, device time.</summary>
    Custom,
}

/// <summary>A voice message set on one device (audio.send), with its schedule for custom plays.</summary>
public sealed class DeviceVoice
{
    public long Id { get; set; }
    public long DeviceId { get; set; }
    public long AudioId { get; set; }
    public VoicePlayType PlayType { get; set; }
    public DateTime? StartLocal { get; set; }
    public DateTime? EndLocal { get; set; }
    public int? IntervalSeconds { get; set; }
    public long SentById { get; set; }
    public DateTime SentAtUtc { get; set; }
    public DateTime? RemovedAtUtc { get; set; }

    public VoiceSchedule? Schedule => PlayType == VoicePlayType.Custom && StartLocal is { } start && IntervalSeconds is { } seconds
        ? new VoiceSchedule(start, EndLocal, TimeSpan.FromSeconds(seconds)) : null;
}

/// <summary>What a device reports it said: the payment announcement, a voice message, with the trade it was for.</summary>
public sealed class VoicePlay
{
    public long Id { get; set; }
    public long DeviceId { get; set; }
    public long? AudioId { get; set; }
    /// <summary>The trade_no (or, for tradevoice.send, the caller's trade_id) the play was for.</summary>
    public string? TradeRef { get; set; }
    public required string Text { get; set; }
    /// <summary><c>announcement</c> (到账播报), <c>trade</c> (a TRADE voice message) or <c>custom</c> (a scheduled one).</summary>
    public required string Kind { get; set; }
    public DateTime PlayedAtUtc { get; set; }
    public DateTime ReportedAtUtc { get; set; }
}
