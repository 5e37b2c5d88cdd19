using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Touchpoint.Server.Infrastructure;

/// <summary>
/// Plain ADO.NET commands on a context's connection and transaction, for the few hot paths where EF's per-statement
/// work (expression funcletizing, change tracking, batching) costs more than the statement. The SQL is written once for
/// both databases: quoted identifiers, <c>@name</c> parameters, <c>ON CONFLICT DO NOTHING</c> and <c>RETURNING</c>
/// (SQLite ≥ 3.35 and PostgreSQL both speak them). Values bind as EF stores them: instants as UTC (SQLite's text form is
/// the same as EF's), enums as their numbers.
/// </summary>
public static class RawSql
{
    // Statements kept prepared on a SQLite connection while it stays open inside a transaction (a GroupCommit batch runs
    // the same ten statements for each of its payments): Microsoft.Data.Sqlite prepares a command's SQL again for every
    // new command, and parsing was ~3 % of a payment's CPU. A connection's set is dropped when it closes.
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Prepared = new();

    /// <summary>A command for <paramref name="sql"/> with its parameters bound; dispose it (a kept one stays prepared).</summary>
    public static Statement Command(this TouchpointDb db, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        DbCommand command;
        var kept = false;
        if (connection is SqliteConnection { State: System.Data.ConnectionState.Open } sqlite && transaction is not null)
        {
            var statements = Prepared.GetValue(sqlite, Track);
            if (!statements.TryGetValue(sql, out var cached))
            {
                cached = sqlite.CreateCommand();
                cached.CommandText = sql;
                statements[sql] = cached;
            }
            cached.Parameters.Clear();
            command = cached;
            kept = true;
        }
        else
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
        }
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return new Statement(command, kept);
    }

    private static Dictionary<string, SqliteCommand> Track(SqliteConnection connection)
    {
        var statements = new Dictionary<string, SqliteCommand>(StringComparer.Ordinal);
        connection.StateChange += (_, change) =>
        {
            if (change.CurrentState != System.Data.ConnectionState.Open)
            {
                foreach (var command in statements.Values)
                {
                    command.Dispose();
                }
                statements.Clear();
            }
        };
        return statements;
    }

    /// <summary>A command lent by <see cref="Command"/>: disposing it frees it unless its connection keeps it prepared.</summary>
    public readonly struct Statement(DbCommand command, bool kept) : IAsyncDisposable
    {
        public DbCommand Command => command;

        public ValueTask DisposeAsync()
        {
            if (kept)
            {
                command.Parameters.Clear(); // the values go; the prepared statement stays
                return ValueTask.CompletedTask;
            }
            return command.DisposeAsync();
        }
    }

    public static async Task<int> ExecuteAsync(this TouchpointDb db, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        var opened = await OpenAsync(db, ct);
        try
        {
            await using var statement = db.Command(sql, parameters);
            return await statement.Command.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            await CloseAsync(db, opened);
        }
    }

    /// <summary>The first row's columns, or null when the statement returned none.</summary>
    public static async Task<object?[]?> RowAsync(this TouchpointDb db, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        var opened = await OpenAsync(db, ct);
        try
        {
            await using var statement = db.Command(sql, parameters);
            await using var reader = await statement.Command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = await reader.IsDBNullAsync(i, ct) ? null : reader.GetValue(i);
            }
            // Drain: SQLite runs the rest of a RETURNING statement's writes as the reader finishes.
            while (await reader.ReadAsync(ct))
            {
            }
            return row;
        }
        finally
        {
            await CloseAsync(db, opened);
        }
    }

    // As EF does for its own statements: a connection opened for one statement goes back to the pool after it, so a
    // request never holds one across its other work (a held connection waiting for a second one can starve the pool).
    private static async Task<bool> OpenAsync(TouchpointDb db, CancellationToken ct)
    {
        if (db.Database.GetDbConnection().State == System.Data.ConnectionState.Open)
        {
            return false;
        }
        await db.Database.OpenConnectionAsync(ct);
        return true;
    }

    private static async Task CloseAsync(TouchpointDb db, bool opened)
    {
        if (opened)
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
