using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Touchpoint.Server.Infrastructure;

/// <summary>
/// A unit's all-or-nothing: its own transaction when the context has none, else a savepoint inside the one it runs in
/// (a <see cref="GroupCommit"/> batch). Disposed without <see cref="CommitAsync"/>, it rolls its statements back.
/// </summary>
public sealed class WriteScope : IAsyncDisposable
{
    private const string Savepoint = "unit";
    private readonly IDbContextTransaction _transaction;
    private readonly bool _nested;
    private bool _ended;

    private WriteScope(IDbContextTransaction transaction, bool nested) => (_transaction, _nested) = (transaction, nested);

    public static async Task<WriteScope> BeginAsync(TouchpointDb db, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is { } outer)
        {
            await outer.CreateSavepointAsync(Savepoint, ct);
            return new WriteScope(outer, nested: true);
        }
        return new WriteScope(await db.Database.BeginTransactionAsync(ct), nested: false);
    }

    /// <summary>Keeps the unit's writes: committed now on its own, or with its batch.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        await (_nested ? _transaction.ReleaseSavepointAsync(Savepoint, ct) : _transaction.CommitAsync(ct));
        _ended = true;
    }

    public async Task RollbackAsync(CancellationToken ct)
    {
        if (_nested)
        {
            try
            {
                await _transaction.RollbackToSavepointAsync(Savepoint, ct);
                await _transaction.ReleaseSavepointAsync(Savepoint, ct);
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
