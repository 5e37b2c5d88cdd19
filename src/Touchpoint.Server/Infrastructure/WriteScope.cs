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
        _ended = true;
        await (_nested ? _transaction.ReleaseSavepointAsync(Savepoint, ct) : _transaction.CommitAsync(ct));
    }

    public async Task RollbackAsync(CancellationToken ct)
    {
        _ended = true;
        if (_nested)
        {
            await _transaction.RollbackToSavepointAsync(Savepoint, ct);
            await _transaction.ReleaseSavepointAsync(Savepoint, ct);
        }
        else
        {
            await _transaction.RollbackAsync(ct);
        }
    }

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
