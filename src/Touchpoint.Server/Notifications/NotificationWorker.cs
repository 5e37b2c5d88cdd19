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
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<NotificationWorker> logger) : BackgroundService
{
    public const string HttpClientName = "notifications";

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
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
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
        var lease = now + TimeSpan.FromSeconds(settings.TimeoutSeconds + 30);
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
        var row = await db.NotificationDeliveries.SingleAsync(d => d.Id == delivery.Id, CancellationToken.None);
        row.AttemptCount++;
        row.ClaimedUntilUtc = null;
        db.NotificationAttempts.Add(new NotificationAttempt
        {
            DeliveryId = row.Id,
            AttemptedAtUtc = now,
            HttpStatus = status,
            Outcome = outcome,
            DurationMs = elapsedMs,
            Succeeded = succeeded,
        });
        if (succeeded)
        {
            row.Status = DeliveryStatus.Delivered;
            row.DeliveredAtUtc = now;
        }
        else if (RetrySchedule.After(row.AttemptCount, settings.RetryDelayScale) is { } delay)
        {
            row.NextAttemptAtUtc = now + delay;
        }
        else
        {
            row.Status = DeliveryStatus.GaveUp;
            logger.LogWarning("Gave up notification {NotifyId} to {Url} after {Attempts} attempts", row.NotifyId, row.Url, row.AttemptCount);
        }
        await db.SaveChangesAsync(CancellationToken.None);
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
