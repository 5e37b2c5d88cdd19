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

    /// <summary>How long the key is still refused outright, or zero.</summary>
    public async Task<TimeSpan> BlockedForAsync(string key, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var until = await db.ThrottleCounters.Where(c => c.Key == key).Select(c => c.BlockedUntilMs).FirstOrDefaultAsync(ct);
        var left = until - NowMs();
        return left > 0 ? TimeSpan.FromMilliseconds(left) : TimeSpan.Zero;
    }

    /// <summary>
    /// Counts a failure; from the <paramref name="freeFailures"/>-th on within the window the key is blocked for a delay
    /// that doubles with each further failure, up to <paramref name="maxDelay"/>. Returns the delay now in force.
    /// </summary>
    public async Task<TimeSpan> FailAsync(string key, int freeFailures, TimeSpan window, TimeSpan maxDelay, CancellationToken ct = default)
    {
        var hit = await HitAsync(key, window, ct);
        var over = hit.Count - freeFailures;
        if (over < 0)
        {
            return TimeSpan.Zero;
        }
        var delay = TimeSpan.FromSeconds(Math.Min(maxDelay.TotalSeconds, Math.Pow(2, Math.Min(over, 30))));
        var until = NowMs() + (long)delay.TotalMilliseconds;
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.ThrottleCounters.Where(c => c.Key == key)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.BlockedUntilMs, until), ct);
        return delay;
    }

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
