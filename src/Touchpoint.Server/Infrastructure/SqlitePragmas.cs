using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Touchpoint.Server.Infrastructure;

/// <summary>
/// Sets <c>PRAGMA synchronous</c> on every SQLite connection EF opens (it is per connection, not per file). FULL, the
/// default, syncs the WAL at every commit: a payment acknowledged to the merchant survives a power cut. NORMAL syncs
/// only at checkpoints: still never corrupt and never torn, and an application crash loses nothing, but the last
/// commits before an operating-system crash or power loss can roll back.
/// </summary>
internal sealed class SqlitePragmas(string synchronous) : DbConnectionInterceptor
{
    private readonly string _pragma = $"PRAGMA synchronous={synchronous};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        command.ExecuteNonQuery();
    }
}
