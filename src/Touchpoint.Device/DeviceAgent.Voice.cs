using System.Collections.Concurrent;
using System.Text.Json;
using Touchpoint.Core.Broadcasts;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Posters;

namespace Touchpoint.Device;

/// <summary>
/// What the terminal says besides the announcement (播报运营): the voice messages the platform set on it
/// (<c>down/voice</c>) — TRADE ones after each announcement, CUSTOM ones on their schedule, once per grid time and
/// never to catch up — and payments announced for another channel (<c>down/speak</c>). Every play is reported
/// (<c>up/voice</c>).
/// </summary>
public sealed partial class DeviceAgent
{
    private VoiceList? _voices;
    private readonly ConcurrentDictionary<long, DateTime> _lastCustom = new();
    private readonly ConcurrentQueue<VoicePlayed> _voiceLog = new();

    /// <summary>Every play this agent reported, oldest first.</summary>
    public IReadOnlyList<VoicePlayed> VoiceLog => _voiceLog.ToArray();

    /// <summary>The voice messages set on this terminal now.</summary>
    public IReadOnlyList<VoiceItem> Voices => _voices?.Items ?? [];

    private void TakeVoices(byte[] payload)
    {
        try
        {
            if (JsonSerializer.Deserialize<VoiceList>(payload) is { Version: 1 } list)
            {
                _voices = list;
                PlayDueVoices();
            }
        }
        catch (JsonException e)
        {
            LastError = e.Message;
        }
    }

    private void Speak(byte[] payload)
    {
        try
        {
            if (JsonSerializer.Deserialize<SpeakMessage>(payload) is { Version: 1 } speak)
            {
                _played.Enqueue(speak.Text);
                AnnouncementVolume = speak.Volume ?? AnnouncementVolume;
                Said([new VoicePlayed("announcement", speak.Text, _clock.GetUtcNow(), TradeNo: speak.TradeNo)]);
            }
        }
        catch (JsonException e)
        {
            LastError = e.Message;
        }
    }

    /// <summary>After a payment's announcement: the TRADE voice messages, in the order set.</summary>
    private void AfterAnnouncement(ScreenMessage screen, string announcement)
    {
        var at = _clock.GetUtcNow();
        var plays = new List<VoicePlayed> { new("announcement", announcement, at, TradeNo: screen.TradeNo) };
        foreach (var item in Voices.Where(v => v.PlayType == "TRADE" && v.LiveAt(at)))
        {
            _played.Enqueue(item.Text);
            plays.Add(new VoicePlayed("trade", item.Text, at, item.AudioId, screen.TradeNo));
        }
        Said(plays);
    }

    /// <summary>On each rotation step: the CUSTOM messages whose grid time has come since their last play.</summary>
    private void PlayDueVoices()
    {
        if (_voices is not { } list)
        {
            return;
        }
        var now = _clock.GetUtcNow();
        var local = TimeZoneInfo.ConvertTimeFromUtc(now.UtcDateTime, PosterRotation.Zone(list.Zone));
        var plays = new List<VoicePlayed>();
        foreach (var item in list.Items.Where(v => v.PlayType == "CUSTOM_AUDIO" && v.Start is not null && v.IntervalSeconds is > 0 && v.LiveAt(now)))
        {
            var schedule = new VoiceSchedule(item.Start!.Value, item.End, TimeSpan.FromSeconds(item.IntervalSeconds!.Value));
            var last = _lastCustom.TryGetValue(item.AudioId, out var l) ? l : (DateTime?)null;
            if (schedule.DueNow(local, last))
            {
                _lastCustom[item.AudioId] = local;
                _played.Enqueue(item.Text);
                plays.Add(new VoicePlayed("custom", item.Text, now, item.AudioId));
            }
        }
        if (plays.Count > 0)
        {
            Said(plays);
        }
    }

    private void Said(IReadOnlyList<VoicePlayed> plays)
    {
        foreach (var p in plays)
        {
            _voiceLog.Enqueue(p);
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await PublishAsync(UplinkKind.Voice, new VoiceReport(1, plays), CancellationToken.None);
            }
            catch (Exception e)
            {
                LastError = e.Message;
            }
        });
    }
}
