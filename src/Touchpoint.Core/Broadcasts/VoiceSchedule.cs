namespace Touchpoint.Core.Broadcasts;

/// <summary>
/// A custom voice message played on a schedule (播报运营): from <see cref="StartLocal"/> to <see cref="EndLocal"/> (device
/// wall-clock time, end exclusive), every <see cref="Interval"/>. Plays fall on the grid start + k × interval, so a device
/// that was offline resumes on the grid instead of playing everything it missed.
/// </summary>
public sealed record VoiceSchedule(DateTime StartLocal, DateTime? EndLocal, TimeSpan Interval)
{
    public static readonly TimeSpan ShortestInterval = TimeSpan.FromMinutes(1);

    /// <summary>Why the schedule cannot be saved; null when it can.</summary>
    public string? Problem => Interval < ShortestInterval ? "播报间隔不能短于 1 分钟"
        : EndLocal is { } end && end <= StartLocal ? "结束时间必须晚于开始时间"
        : null;

    /// <summary>The latest grid time at or before <paramref name="local"/>, if it is still inside the schedule.</summary>
    public DateTime? LastDue(DateTime local)
    {
        if (local < StartLocal)
        {
            return null;
        }
        var steps = (local - StartLocal).Ticks / Interval.Ticks;
        var at = StartLocal + TimeSpan.FromTicks(steps * Interval.Ticks);
        return EndLocal is { } end && at >= end ? null : at;
    }

    /// <summary>The next grid time after <paramref name="local"/>, or null once the schedule is over.</summary>
    public DateTime? Next(DateTime local)
    {
        var next = local < StartLocal ? StartLocal : LastDue(local) is { } last ? last + Interval : (DateTime?)null;
        return next is { } at && (EndLocal is null || at < EndLocal) ? at : null;
    }

    /// <summary>
    /// Whether a device whose last play of this message was at <paramref name="lastPlayedLocal"/> should play it now: once
    /// per grid time, never to catch up on missed ones.
    /// </summary>
    public bool DueNow(DateTime local, DateTime? lastPlayedLocal) =>
        LastDue(local) is { } due && (lastPlayedLocal is null || lastPlayedLocal < due);
}

/// <summary>到账播报: whether the terminal announces a payment, and how loud (0–100).</summary>
public sealed record AnnouncementSettings(bool Enabled = true, int Volume = AnnouncementSettings.DefaultVolume)
{
    public const int DefaultVolume = 70;

    public string? Problem => Volume is < 0 or > 100 ? "音量必须在 0 到 100 之间" : null;
}
