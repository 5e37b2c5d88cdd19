using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Touchpoint.Server.Infrastructure;

/// <summary>
/// Sets the per-connection pragmas on each SQLite connection the pool makes (once per physical connection: the pool
/// hands the same one out again with its settings).
/// <list type="bullet">
/// <item><c>temp_store=MEMORY</c>: statement journals — the undo copy of every page a savepoint changes — stay in memory
/// instead of a temporary file under /var/tmp. A payment batch (<see cref="GroupCommit"/>) takes a savepoint for each of
/// its payments, and EF takes one for each <c>SaveChanges</c> inside a transaction; on disk that was two of every three
/// <c>pwrite</c>s of a payment.</item>
/// <item><c>synchronous</c>: FULL, the default, syncs the WAL at every commit: a payment acknowledged to the merchant
/// survives a power cut. NORMAL syncs only at checkpoints: still never corrupt and never torn, and an application crash
/// loses nothing, but the last commits before an operating-system crash or power loss can roll back.</item>
/// </list>
/// </summary>
internal sealed class SqlitePragmas(string synchronous) : DbConnectionInterceptor
{
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();
    private readonly string _pragmas = $"PRAGMA temp_store=MEMORY; PRAGMA synchronous={synchronous};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } && Configured.TryGetValue(handle, out _))
        {
            return;
        }
        using (var command = connection.CreateCommand())
        {
            command.CommandText = _pragmas;
            command.ExecuteNonQuery();
        }
        if (connection is SqliteConnection { Handle: { } opened })
        {
            Configured.AddOrUpdate(opened, this);
        }
    }
}
