using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>
/// The write units payments run in: on SQLite the queued ones share one transaction and one commit, yet each keeps its
/// own all-or-nothing; on PostgreSQL each runs on its own. Both databases must give the same answers.
/// </summary>
public abstract class GroupCommitTests(TouchpointFactory factory)
{
    protected GroupCommit Writes => factory.Services.GetRequiredService<GroupCommit>();

    private bool OnSqlite => factory.Services.GetRequiredService<StorageOptions>().Provider == StorageOptions.Sqlite;

    [Fact]
    public async Task AUnitThatFailsUndoesOnlyItsOwnWritesAndTheOthersAreCommitted()
    {
        var tag = await ProbeAsync();
        var units = Enumerable.Range(0, 24).Select(i => Writes.RunAsync(async (db, ct) =>
        {
            await using var scope = await WriteScope.BeginAsync(db, ct);
            await InsertAsync(db, tag, i, ct);
            if (i % 3 == 0)
            {
                throw new InvalidOperationException($"unit {i} refused");
            }
            await scope.CommitAsync(ct);
            return i;
        }, CancellationToken.None)).ToList();

        foreach (var (unit, i) in units.Select((u, i) => (u, i)))
        {
            if (i % 3 == 0)
            {
                var e = await Assert.ThrowsAsync<InvalidOperationException>(() => unit);
                Assert.Equal($"unit {i} refused", e.Message);
            }
            else
            {
                Assert.Equal(i, await unit);
            }
        }
        Assert.Equal(Enumerable.Range(0, 24).Where(i => i % 3 != 0), await RowsAsync(tag));
    }

    [Fact]
    public async Task UnitsQueuedWhileOneRunsShareItsSuccessorsTransactionOnSqlite()
    {
        var tag = await ProbeAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Writes.RunAsync(async (db, ct) =>
        {
            started.SetResult();
            await gate.Task;
            await using var scope = await WriteScope.BeginAsync(db, ct);
            await InsertAsync(db, tag, 0, ct);
            await scope.CommitAsync(ct);
            return db.Database.CurrentTransaction?.TransactionId;
        }, CancellationToken.None);
        await started.Task;
        var queued = Enumerable.Range(1, 10).Select(i => Writes.RunAsync(async (db, ct) =>
        {
            await using var scope = await WriteScope.BeginAsync(db, ct);
            await InsertAsync(db, tag, i, ct);
            await scope.CommitAsync(ct);
            return db.Database.CurrentTransaction?.TransactionId;
        }, CancellationToken.None)).ToList();
        gate.SetResult();

        var firstTransaction = await first;
        var transactions = await Task.WhenAll(queued);
        Assert.Equal(Enumerable.Range(0, 11), await RowsAsync(tag));
        if (OnSqlite)
        {
            // Queued behind the first, the ten went into one batch: one transaction, one commit.
            Assert.NotNull(firstTransaction);
            Assert.Single(transactions.Distinct());
            Assert.NotEqual(firstTransaction, transactions[0]);
        }
        else
        {
            // Each ran on a context of its own; the scope was its own transaction, ended by the time it returned.
            Assert.All(transactions, Assert.Null);
        }
    }

    /// <summary>A table of the test's own, and a tag that keeps this run's rows apart.</summary>
    protected async Task<string> ProbeAsync()
    {
        await using var db = await Db();
        await db.Database.ExecuteSqlRawAsync("""CREATE TABLE IF NOT EXISTS "GroupCommitProbe" ("Tag" TEXT NOT NULL, "N" INTEGER NOT NULL)""");
        return Guid.NewGuid().ToString("N");
    }

    protected static Task InsertAsync(TouchpointDb db, string tag, int n, CancellationToken ct) =>
        db.ExecuteAsync("""INSERT INTO "GroupCommitProbe" ("Tag", "N") VALUES (@tag, @n)""", ct, ("@tag", tag), ("@n", n));

    protected async Task<List<int>> RowsAsync(string tag)
    {
        await using var db = await Db();
        return await db.Database.SqlQueryRaw<int>("""SELECT "N" AS "Value" FROM "GroupCommitProbe" WHERE "Tag" = {0} ORDER BY "N" """, tag).ToListAsync();
    }

    private async Task<TouchpointDb> Db() => await factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync();
}

public sealed class SqliteGroupCommitTests(SqliteFactory f) : GroupCommitTests(f), IClassFixture<SqliteFactory>
{
    // SQLite only: PostgreSQL runs a unit at once, so there is no turn to wait for.
    [Fact]
    public async Task AUnitWithdrawnBeforeItsTurnNeverRuns()
    {
        var tag = await ProbeAsync();
        var (blocker, release) = await BlockAsync();
        using var withdraw = new CancellationTokenSource();
        var withdrawn = Writes.RunAsync(async (db, ct) =>
        {
            await using var scope = await WriteScope.BeginAsync(db, ct);
            await InsertAsync(db, tag, 1, ct);
            await scope.CommitAsync(ct);
            return 1;
        }, withdraw.Token);
        await withdraw.CancelAsync();
        release.SetResult();
        await blocker;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => withdrawn);
        // The next unit runs after the withdrawn one would have: had it run, its row would be there by now.
        await Writes.RunAsync((_, _) => Task.FromResult(0), CancellationToken.None);
        Assert.Empty(await RowsAsync(tag));
    }

    [Fact]
    public async Task ACallerThatCancelsOnceItsUnitHasStartedIsToldWhatReallyHappened()
    {
        var tag = await ProbeAsync();
        using var cancel = new CancellationTokenSource();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var goOn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var unit = Writes.RunAsync(async (db, ct) =>
        {
            await using var scope = await WriteScope.BeginAsync(db, ct);
            await InsertAsync(db, tag, 7, ct);
            running.SetResult();
            await goOn.Task;
            await scope.CommitAsync(ct);
            return 7;
        }, cancel.Token);
        await running.Task;
        await cancel.CancelAsync();
        goOn.SetResult();
        // Its row is committed, so its caller hears the success, not a cancellation (a payment taken must be answered).
        Assert.Equal(7, await unit);
        Assert.Equal([7], await RowsAsync(tag));
    }

    private async Task<(Task Blocker, TaskCompletionSource Release)> BlockAsync()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = Writes.RunAsync(async (_, _) =>
        {
            started.SetResult();
            await release.Task;
            return 0;
        }, CancellationToken.None);
        await started.Task;
        return (blocker, release);
    }
}

public sealed class PostgresGroupCommitTests(PostgresFactory f) : GroupCommitTests(f), IClassFixture<PostgresFactory>;
