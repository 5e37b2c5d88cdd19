using System.Data.Common;
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
    public static DbCommand Command(this TouchpointDb db, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    public static async Task<int> ExecuteAsync(this TouchpointDb db, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        var opened = await OpenAsync(db, ct);
        try
        {
            await using var command = db.Command(sql, parameters);
            return await command.ExecuteNonQueryAsync(ct);
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
            await using var command = db.Command(sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(ct);
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
