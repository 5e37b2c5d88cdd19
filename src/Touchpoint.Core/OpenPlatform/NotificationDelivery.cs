namespace Touchpoint.Core.OpenPlatform;

public enum DeliveryStatus
{
    Pending,
    Delivered,
    /// <summary>Every retry was used without a <c>success</c> answer.</summary>
    GaveUp,
}

/// <summary>
/// One asynchronous notification to an app's gateway, stored with its exact signed body before the first attempt
/// (an outbox), so that a restart delivers the same bytes.
/// </summary>
public sealed class NotificationDelivery
{
    public long Id { get; set; }
    public required string NotifyId { get; set; }
    public long AppId { get; set; }
    public required string MsgMethod { get; set; }
    public required string Url { get; set; }
    /// <summary>The form-encoded body, signed once at creation.</summary>
    public required string Body { get; set; }
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
