using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace Touchpoint.Server.Infrastructure;

/// <summary>
/// Runs short write units — a payment is one — so that on SQLite the units waiting together share one transaction and
/// one commit. SQLite takes one writer at a time anyway: requests that each begin their own transaction queue on the
/// file's lock (Microsoft.Data.Sqlite retries a busy lock by sleeping), and each commit writes its pages and syncs the
/// WAL on its own. Here a single loop takes whatever units are queued (at most <see cref="MaxBatch"/>), runs them one
/// after the other on one connection inside one <c>BEGIN IMMEDIATE</c>, commits once, and only then answers their
/// callers: an answered payment is as durable as before, it just shares its fsync. A unit keeps its own
/// all-or-nothing through <see cref="WriteScope"/> (a savepoint inside the batch), so one unit's refusal rolls back
/// only its own statements. A failed commit fails every unit of the batch, none of whose writes then exist.
/// On PostgreSQL, which has its own group commit and many writers, a unit simply runs on a context of its own.
/// </summary>
public sealed class GroupCommit : IAsyncDisposable
{
    /// <summary>Units per transaction: bounds how long the batch holds SQLite's write lock from other writers.</summary>
    public const int MaxBatch = 32;

    private readonly IDbContextFactory<TouchpointDb> _factory;
    private readonly ILogger<GroupCommit> _logger;
    private readonly Channel<IUnit>? _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop = Task.CompletedTask;

    public GroupCommit(IDbContextFactory<TouchpointDb> factory, StorageOptions storage, ILogger<GroupCommit> logger)
    {
        _factory = factory;
        _logger = logger;
        if (storage.Provider.Equals(StorageOptions.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            _queue = Channel.CreateUnbounded<IUnit>(new UnboundedChannelOptions { SingleReader = true });
            _loop = Task.Run(LoopAsync);
        }
    }

    /// <summary>
    /// Runs <paramref name="unit"/> and returns its result once its writes are committed. The unit's writes must be made
    /// inside a <see cref="WriteScope"/>; it must not commit or roll back the context's transaction itself. On SQLite
    /// <paramref name="ct"/> withdraws a unit only while it waits for its turn: once it has started, its caller waits for
    /// what really happened (a payment whose money was taken must not be answered as cancelled).
    /// </summary>
    public async Task<T> RunAsync<T>(Func<TouchpointDb, CancellationToken, Task<T>> unit, CancellationToken ct)
    {
        if (_queue is null)
        {
            await using var db = await _factory.CreateDbContextAsync(ct);
            return await unit(db, ct);
        }
        var work = new Unit<T>(unit);
        using var withdraw = ct.Register(static (state, token) => ((IUnit)state!).TryWithdraw(token), work);
        if (!_queue.Writer.TryWrite(work))
        {
            throw new ObjectDisposedException(nameof(GroupCommit));
        }
        return await work.Answer.Task;
    }

    private async Task LoopAsync()
    {
        var batch = new List<IUnit>(MaxBatch);
        var reader = _queue!.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && reader.TryRead(out var unit))
                {
                    batch.Add(unit);
                }
                await RunBatchAsync(batch);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        while (reader.TryRead(out var left))
        {
            left.Fail(new ObjectDisposedException(nameof(GroupCommit)));
        }
    }

    private async Task RunBatchAsync(List<IUnit> batch)
    {
        var ran = 0;
        var committed = false;
        try
        {
            await using var db = await _factory.CreateDbContextAsync(_stop.Token);
            await using var tx = await db.Database.BeginTransactionAsync(_stop.Token);
            foreach (var unit in batch)
            {
                // Withdrawn while it waited: skipped. From here on its caller waits for the outcome.
                if (!unit.TryStart())
                {
                    continue;
                }
                if (await unit.RunAsync(db, _stop.Token) is { } failure
                    && (failure is WriteScope.RollbackFailedException || TransactionLost(db)))
                {
                    // The unit's writes may still be in the transaction (its savepoint could not be rolled back), or SQLite
                    // rolled the whole transaction back (I/O error, full disk) and the units after it would run in
                    // autocommit: the batch must not commit.
                    throw new InvalidOperationException("A write unit failed and its writes could not be undone alone; the batch is rolled back.", failure);
                }
                db.ChangeTracker.Clear();
                ran++;
            }
            await tx.CommitAsync(_stop.Token);
            committed = true;
        }
        catch (Exception e) when (!committed)
        {
            _logger.LogError(e, "A batch of {Count} writes failed to commit ({Ran} had run); each is answered with the failure", batch.Count, ran);
            foreach (var unit in batch)
            {
                unit.Fail(e);
            }
            return;
        }
        catch (Exception e)
        {
            // Committed: only releasing the context failed. The writes are there, so the answers stand.
            _logger.LogWarning(e, "A committed batch of {Count} writes failed to release its context", batch.Count);
        }
        foreach (var unit in batch)
        {
            unit.Complete();
        }
    }

    private static bool TransactionLost(TouchpointDb db) =>
        db.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle } && SQLitePCL.raw.sqlite3_get_autocommit(handle) != 0;

    /// <summary>At shutdown: no new units; the queued ones get a few seconds to commit, then the batch is cancelled (rolled back).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!(_queue?.Writer.TryComplete() ?? false))
        {
            return;
        }
        if (await Task.WhenAny(_loop, Task.Delay(TimeSpan.FromSeconds(5))) != _loop)
        {
            await _stop.CancelAsync();
            await _loop;
        }
        _stop.Dispose();
    }

    private interface IUnit
    {
        /// <summary>Queued → running; false when the caller withdrew it first.</summary>
        bool TryStart();

        /// <summary>Queued → withdrawn (the caller's token fired); does nothing once the unit has started.</summary>
        void TryWithdraw(CancellationToken token);

        /// <summary>Runs the unit; its own failure goes to its caller, not up (the batch goes on). Returns that failure, or null.</summary>
        Task<Exception?> RunAsync(TouchpointDb db, CancellationToken ct);

        void Complete();

        void Fail(Exception e);
    }

    private sealed class Unit<T>(Func<TouchpointDb, CancellationToken, Task<T>> body) : IUnit
    {
        private const int Queued = 0, Running = 1, Withdrawn = 2;
        private int _state = Queued;
        private T? _result;
        private Exception? _error;

        public TaskCompletionSource<T> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool TryStart() => Interlocked.CompareExchange(ref _state, Running, Queued) == Queued;

        public void TryWithdraw(CancellationToken token)
        {
            if (Interlocked.CompareExchange(ref _state, Withdrawn, Queued) == Queued)
            {
                Answer.TrySetCanceled(token);
            }
        }

        public async Task<Exception?> RunAsync(TouchpointDb db, CancellationToken ct)
        {
            try
            {
                _result = await body(db, ct);
                return null;
            }
            catch (Exception e)
            {
                // Its scope has rolled its statements back; a refusal needs no commit to be answered.
                _error = e;
                if (e is not WriteScope.RollbackFailedException)
                {
                    Answer.TrySetException(e);
                }
                return e;
            }
        }

        public void Complete()
        {
            if (_state == Running && _error is null)
            {
                Answer.TrySetResult(_result!);
            }
        }

        public void Fail(Exception e) => Answer.TrySetException(e);
    }
}
