using Microsoft.EntityFrameworkCore;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Security;

/// <summary>
/// Rate limits and login delays that hold across nodes: counters live in the database (one atomic
/// INSERT … ON CONFLICT DO UPDATE … RETURNING per hit, the same statement on SQLite and PostgreSQL), so a
/// client cannot multiply its budget by the number of nodes behind the load balancer.
/// </summary>
public sealed class RequestThrottle(IDbContextFactory<TouchpointDb> factory, TimeProvider clock)
{
    private sealed class Hit
    {
        public int Count { get; set; }
        public long BlockedUntilMs { get; set; }
    }

    /// <summary>Counts one hit on <paramref name="key"/>; false once more than <paramref name="limit"/> fell in the window.</summary>
    public async Task<bool> TryAcquireAsync(string key, int limit, TimeSpan window, CancellationToken ct = default) =>
        (await HitAsync(key, window, ct)).Count <= limit;

    /// <summary>True the first time a key is claimed, false ever after (until the sweeper forgets it a day later).</summary>
    public async Task<bool> TryClaimOnceAsync(string key, CancellationToken ct = default)
    {
        var now = NowMs();
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "ThrottleCounters" ("Key", "WindowStartMs", "Count", "BlockedUntilMs") VALUES ({key}, {now}, 1, 0)
            ON CONFLICT ("Key") DO NOTHING
            """, ct) == 1;
    }

    /// <summary>
    /// One attempt on a guarded key (a login from one address). Counted before the caller does its work, atomically, so a
    /// burst sent in parallel is counted as the burst it is: up to <paramref name="freeAttempts"/> attempts pass freely;
    /// beyond that an attempt passes only while the key is not blocked, and then it claims the next slot for itself
    /// (one conditional UPDATE: of many racing for it, one wins) and blocks the key for a delay that doubles with the count.
    /// Returns null when the attempt may go ahead, else how long the caller must wait.
    /// </summary>
    public async Task<TimeSpan?> AttemptAsync(string key, int freeAttempts, TimeSpan window, TimeSpan maxDelay, CancellationToken ct = default)
    {
        var hit = await HitAsync(key, window, ct);
        var now = NowMs();
        if (hit.BlockedUntilMs > now)
        {
            return TimeSpan.FromMilliseconds(hit.BlockedUntilMs - now);
        }
        if (hit.Count <= freeAttempts)
        {
            return null;
        }
        var until = now + DelayMs(hit.Count - freeAttempts, maxDelay);
        await using var db = await factory.CreateDbContextAsync(ct);
        var claimed = await db.ThrottleCounters.Where(c => c.Key == key && c.BlockedUntilMs <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.BlockedUntilMs, until), ct);
        if (claimed == 1)
        {
            return null;
        }
        var blockedUntil = await db.ThrottleCounters.Where(c => c.Key == key).Select(c => c.BlockedUntilMs).FirstOrDefaultAsync(ct);
        return TimeSpan.FromMilliseconds(Math.Max(1000, blockedUntil - now));
    }

    /// <summary>
    /// The attempt failed: from the <paramref name="freeAttempts"/>-th failure on, the key is blocked for a delay that
    /// doubles with each further one (1 s, 2 s, 4 s … up to <paramref name="maxDelay"/>). Returns the delay now in force.
    /// </summary>
    public async Task<TimeSpan> FailedAsync(string key, int freeAttempts, TimeSpan maxDelay, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var count = await db.ThrottleCounters.Where(c => c.Key == key).Select(c => c.Count).FirstOrDefaultAsync(ct);
        if (count < freeAttempts)
        {
            return TimeSpan.Zero;
        }
        var now = NowMs();
        var until = now + DelayMs(count - freeAttempts + 1, maxDelay);
        await db.ThrottleCounters.Where(c => c.Key == key && c.BlockedUntilMs < until)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.BlockedUntilMs, until), ct);
        return TimeSpan.FromMilliseconds(until - now);
    }

    private static long DelayMs(int over, TimeSpan maxDelay) =>
        (long)Math.Min(maxDelay.TotalMilliseconds, 1000 * Math.Pow(2, Math.Clamp(over - 1, 0, 30)));

    public async Task ResetAsync(string key, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.ThrottleCounters.Where(c => c.Key == key).ExecuteDeleteAsync(ct);
    }

    /// <summary>Forgets counters idle for longer than <paramref name="idle"/> (the sweeper calls it).</summary>
    public async Task<int> PurgeAsync(TimeSpan idle, CancellationToken ct = default)
    {
        var before = NowMs() - (long)idle.TotalMilliseconds;
        var now = NowMs();
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.ThrottleCounters.Where(c => c.WindowStartMs < before && c.BlockedUntilMs < now).ExecuteDeleteAsync(ct);
    }

    private async Task<Hit> HitAsync(string key, TimeSpan window, CancellationToken ct)
    {
        var now = NowMs();
        var expired = now - (long)window.TotalMilliseconds;
        await using var db = await factory.CreateDbContextAsync(ct);
        // Both SET expressions read the old row, so a window that ran out restarts at 1 in the same statement.
        var rows = await db.Database.SqlQuery<Hit>($"""
            INSERT INTO "ThrottleCounters" ("Key", "WindowStartMs", "Count", "BlockedUntilMs") VALUES ({key}, {now}, 1, 0)
            ON CONFLICT ("Key") DO UPDATE SET
              "Count" = CASE WHEN "ThrottleCounters"."WindowStartMs" <= {expired} THEN 1 ELSE "ThrottleCounters"."Count" + 1 END,
              "WindowStartMs" = CASE WHEN "ThrottleCounters"."WindowStartMs" <= {expired} THEN {now} ELSE "ThrottleCounters"."WindowStartMs" END
            RETURNING "Count", "BlockedUntilMs"
            """).ToListAsync(ct);
        return rows[0];
    }

    private long NowMs() => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
