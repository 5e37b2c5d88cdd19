namespace Touchpoint.Core.OpenPlatform;

public enum DeliveryStatus
{
    Pending,
    Delivered,
    /// <summary>Every retry was used without a <c>success</c> answer.</summary>
    GaveUp,
}

/// <summary>
/// One asynchronous notification to an app's gateway, stored before the first attempt (an outbox) in the same unit of
/// work as the change it reports; signed once, and from then on the same bytes are sent on every retry and restart.
/// </summary>
public sealed class NotificationDelivery
{
    public long Id { get; set; }
    public required string NotifyId { get; set; }
    public long AppId { get; set; }
    public required string MsgMethod { get; set; }
    public required string Url { get; set; }
    /// <summary>The form-encoded body: signed at creation, or at the first send when <see cref="SignAtSend"/>.</summary>
    public required string Body { get; set; }
    /// <summary>
    /// A trade_status_sync is staged unsigned and signed (with its notify_time) by the worker that first sends it, as
    /// Alipay signs at send time: the payment request then costs one signature, the answer's, not two.
    /// </summary>
    public bool SignAtSend { get; set; }
    public DeliveryStatus Status { get; set; }
    public int AttemptCount { get; set; }
    public DateTime NextAttemptAtUtc { get; set; }
    /// <summary>Set while a worker holds the row (an attempt in flight); no one else sends it until then.</summary>
    public DateTime? ClaimedUntilUtc { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? DeliveredAtUtc { get; set; }
    public List<NotificationAttempt> Attempts { get; set; } = [];
}

public sealed class NotificationAttempt
{
    public long Id { get; set; }
    public long DeliveryId { get; set; }
    public DateTime AttemptedAtUtc { get; set; }
    public int? HttpStatus { get; set; }
    /// <summary>What went wrong, or "success"; clipped.</summary>
    public required string Outcome { get; set; }
    public int DurationMs { get; set; }
    public bool Succeeded { get; set; }
}

/// <summary>Alipay spaces retries over about a day: 4m, 10m, 10m, 1h, 2h, 6h, 15h.</summary>
public static class RetrySchedule
{
    public static readonly IReadOnlyList<TimeSpan> Delays =
    [
        TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(6), TimeSpan.FromHours(15),
    ];

    /// <summary>The delay before the next attempt after <paramref name="failedAttempts"/> failures, or null to give up.</summary>
    public static TimeSpan? After(int failedAttempts, double scale = 1.0) =>
        failedAttempts >= 1 && failedAttempts <= Delays.Count ? Delays[failedAttempts - 1] * scale : null;
}
