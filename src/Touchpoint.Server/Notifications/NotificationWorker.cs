using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Common;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Notifications;

/// <summary>
/// Sends due notifications. Rows are claimed with a lease (next attempt pushed past the HTTP timeout) inside a
/// transaction that, on PostgreSQL, skips rows other nodes hold (FOR UPDATE SKIP LOCKED); the HTTP call happens
/// after the claim commits, so a crash mid-call only delays the delivery until the lease runs out.
/// </summary>
public sealed class NotificationWorker(
    IDbContextFactory<TouchpointDb> factory,
    IHttpClientFactory httpFactory,
    NotificationSignal signal,
    NotificationOutbox outbox,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<NotificationWorker> logger) : BackgroundService
{
    public const string HttpClientName = "notifications";
    private const int Parallelism = 8;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var claimed = await RunOnceAsync(stoppingToken);
                if (claimed == settings.BatchSize)
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Notification round failed; retrying at the next poll");
            }
            try
            {
                await signal.WaitAsync(TimeSpan.FromSeconds(settings.PollSeconds), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Claims and sends one batch; returns how many were claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var claimed = await ClaimAsync(ct);
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
            async (delivery, token) =>
            {
                try
                {
                    await DeliverAsync(delivery, token);
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    // One row's failure (a handler bug, a database hiccup) must not abort the others; the row's lease
                    // runs out and the next round tries it again.
                    logger.LogError(e, "Notification {NotifyId} attempt failed unexpectedly", delivery.NotifyId);
                }
            });
        return claimed.Count;
    }

    private async Task<List<NotificationDelivery>> ClaimAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        // Most polls find nothing: look first, so that an idle node never takes SQLite's write lock.
        if (!await db.NotificationDeliveries.AnyAsync(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAtUtc <= now
                && (d.ClaimedUntilUtc == null || d.ClaimedUntilUtc <= now), ct))
        {
            return [];
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        List<NotificationDelivery> due;
        if (db.Database.IsNpgsql())
        {
            due = await db.NotificationDeliveries.FromSqlInterpolated($"""
                SELECT * FROM "NotificationDeliveries"
                WHERE "Status" = 'Pending' AND "NextAttemptAtUtc" <= {now} AND ("ClaimedUntilUtc" IS NULL OR "ClaimedUntilUtc" <= {now})
                ORDER BY "NextAttemptAtUtc"
                LIMIT {settings.BatchSize}
                FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct);
        }
        else
        {
            due = await db.NotificationDeliveries
                .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAtUtc <= now && (d.ClaimedUntilUtc == null || d.ClaimedUntilUtc <= now))
                .OrderBy(d => d.NextAttemptAtUtc).Take(settings.BatchSize).ToListAsync(ct);
        }
        // Rows go out eight at a time: the last wave starts waves × timeout after the claim, and must still be inside
        // the lease. Whole milliseconds, so that the fenced write below compares equal on PostgreSQL (microseconds) too.
        var waves = (due.Count + Parallelism - 1) / Parallelism;
        var lease = new DateTime((now + TimeSpan.FromSeconds(waves * settings.TimeoutSeconds + 30)).Ticks / TimeSpan.TicksPerMillisecond
            * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
        foreach (var delivery in due)
        {
            // The lease: no worker (nor 立即重推) sends the row again until the attempt is recorded or the lease runs out.
            delivery.NextAttemptAtUtc = lease;
            delivery.ClaimedUntilUtc = lease;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return due;
    }

    private async Task DeliverAsync(NotificationDelivery delivery, CancellationToken ct)
    {
        var settings = options.Value;
        if (delivery.SignAtSend && !await SignAsync(delivery, ct))
        {
            return;
        }
        var started = Stopwatch.GetTimestamp();
        int? status = null;
        string outcome;
        var succeeded = false;
        try
        {
            using var http = httpFactory.CreateClient(HttpClientName);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(delivery.Body));
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=utf-8");
            using var response = await http.PostAsync(delivery.Url, content, timeout.Token);
            status = (int)response.StatusCode;
            var text = await ReadSomeAsync(response, timeout.Token);
            succeeded = response.IsSuccessStatusCode && text.Trim() == "success";
            outcome = succeeded ? "success" : $"应答不是 success：{OptionalText.Clip(text.Trim(), 200)}";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            outcome = $"超时（{settings.TimeoutSeconds} 秒无应答）";
        }
        catch (HttpRequestException e)
        {
            outcome = $"连接失败：{OptionalText.Clip(e.Message, 200)}";
        }
        var elapsedMs = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var now = clock.GetUtcNow().UtcDateTime;

        await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
        var attempts = delivery.AttemptCount + 1;
        // Fenced: only while the row is still this worker's lease. Had the lease run out and someone else taken the row,
        // this attempt is still recorded, but the row's state is theirs to write.
        var mine = db.NotificationDeliveries.Where(d => d.Id == delivery.Id && d.ClaimedUntilUtc == delivery.ClaimedUntilUtc);
        int updated;
        if (succeeded)
        {
            updated = await mine.ExecuteUpdateAsync(u => u.SetProperty(d => d.Status, DeliveryStatus.Delivered)
                .SetProperty(d => d.DeliveredAtUtc, now).SetProperty(d => d.AttemptCount, attempts)
                .SetProperty(d => d.ClaimedUntilUtc, (DateTime?)null), CancellationToken.None);
        }
        else if (RetrySchedule.After(attempts, settings.RetryDelayScale) is { } delay)
        {
            updated = await mine.ExecuteUpdateAsync(u => u.SetProperty(d => d.NextAttemptAtUtc, now + delay)
                .SetProperty(d => d.AttemptCount, attempts).SetProperty(d => d.ClaimedUntilUtc, (DateTime?)null), CancellationToken.None);
        }
        else
        {
            updated = await mine.ExecuteUpdateAsync(u => u.SetProperty(d => d.Status, DeliveryStatus.GaveUp)
                .SetProperty(d => d.AttemptCount, attempts).SetProperty(d => d.ClaimedUntilUtc, (DateTime?)null), CancellationToken.None);
            logger.LogWarning("Gave up notification {NotifyId} to {Url} after {Attempts} attempts", delivery.NotifyId, delivery.Url, attempts);
        }
        if (updated == 0)
        {
            logger.LogWarning("Notification {NotifyId}: the lease ran out during the attempt; recorded the attempt only", delivery.NotifyId);
        }
        db.NotificationAttempts.Add(new NotificationAttempt
        {
            DeliveryId = delivery.Id,
            AttemptedAtUtc = now,
            HttpStatus = status,
            Outcome = outcome,
            DurationMs = elapsedMs,
            Succeeded = succeeded,
        });
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>
    /// A trade notification staged unsigned is signed now, outside the claim's transaction (on SQLite that holds the one
    /// write lock payments need), and stored before it is sent, fenced on this worker's lease: every later attempt, here
    /// or on another node, sends these bytes. False when the lease was lost meanwhile; the row is someone else's.
    /// </summary>
    private async Task<bool> SignAsync(NotificationDelivery delivery, CancellationToken ct)
    {
        var body = outbox.SignForSending(delivery);
        await using var db = await factory.CreateDbContextAsync(ct);
        var stored = await db.NotificationDeliveries
            .Where(d => d.Id == delivery.Id && d.ClaimedUntilUtc == delivery.ClaimedUntilUtc && d.SignAtSend)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Body, body).SetProperty(d => d.SignAtSend, false), ct);
        if (stored == 0)
        {
            logger.LogWarning("Notification {NotifyId}: the lease ran out before it was signed; left to its new holder", delivery.NotifyId);
            return false;
        }
        delivery.Body = body;
        delivery.SignAtSend = false;
        return true;
    }

    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        // The answer should be the seven bytes "success"; read a little more for the console, never a whole page.
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[1024];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), ct)) > 0)
        {
            total += read;
        }
        return Encoding.UTF8.GetString(buffer, 0, total);
    }
}
