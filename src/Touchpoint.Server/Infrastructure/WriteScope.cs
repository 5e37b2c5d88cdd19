using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Touchpoint.Server.Infrastructure;

/// <summary>
/// A unit's all-or-nothing: its own transaction when the context has none, else a savepoint inside the one it runs in
/// (a <see cref="GroupCommit"/> batch). Disposed without <see cref="CommitAsync"/>, it rolls its statements back.
/// </summary>
public sealed class WriteScope : IAsyncDisposable
{
    private const string Begin = """SAVEPOINT "unit" """, Release = """RELEASE SAVEPOINT "unit" """, Undo = """ROLLBACK TO SAVEPOINT "unit" """;
    private readonly TouchpointDb _db;
    private readonly IDbContextTransaction _transaction;
    private readonly bool _nested;
    private bool _ended;

    private WriteScope(TouchpointDb db, IDbContextTransaction transaction, bool nested) => (_db, _transaction, _nested) = (db, transaction, nested);

    public static async Task<WriteScope> BeginAsync(TouchpointDb db, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is { } outer)
        {
            await db.ExecuteAsync(Begin, ct); // raw and kept prepared: a batch takes one for each of its units
            return new WriteScope(db, outer, nested: true);
        }
        return new WriteScope(db, await db.Database.BeginTransactionAsync(ct), nested: false);
    }

    /// <summary>Keeps the unit's writes: committed now on its own, or with its batch.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        if (_nested)
        {
            await _db.ExecuteAsync(Release, ct);
        }
        else
        {
            await _transaction.CommitAsync(ct);
        }
        _ended = true;
    }

    public async Task RollbackAsync(CancellationToken ct)
    {
        if (_nested)
        {
            try
            {
                await _db.ExecuteAsync(Undo, ct);
                await _db.ExecuteAsync(Release, ct);
            }
            catch (Exception e)
            {
                // The unit's writes may still be in the batch: the batch must not commit them.
                throw new RollbackFailedException(e);
            }
        }
        else
        {
            await _transaction.RollbackAsync(ct);
        }
        _ended = true;
    }

    /// <summary>A savepoint could not be rolled back: its batch (<see cref="GroupCommit"/>) is rolled back whole.</summary>
    public sealed class RollbackFailedException(Exception inner) : Exception("A write unit's savepoint could not be rolled back.", inner);

    public async ValueTask DisposeAsync()
    {
        if (!_nested)
        {
            await _transaction.DisposeAsync(); // rolls back unless committed
        }
        else if (!_ended)
        {
            await RollbackAsync(CancellationToken.None);
        }
    }
}
