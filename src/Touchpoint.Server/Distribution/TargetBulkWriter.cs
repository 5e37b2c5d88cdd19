using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Touchpoint.Core.Distribution;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Distribution;

/// <summary>
/// Writes a new task's targets in bulk inside the caller's transaction: binary COPY on PostgreSQL, one prepared INSERT
/// reused row after row on SQLite. EF's change tracker would spend seconds on 100,000 rows that nobody reads back.
/// Columns and value formats are the ones the model maps (enums as names, instants as UTC).
/// </summary>
internal static class TargetBulkWriter
{
    private const string Columns = "\"TaskId\", \"ItemId\", \"ItemOrder\", \"DeviceId\", \"Sn\", \"Wave\", \"State\", \"Attempt\", \"Progress\", " +
        "\"SkipReason\", \"Message\", \"FromVersion\", \"CreatedAtUtc\", \"UpdatedAtUtc\", \"CompletedAtUtc\"";

    public static async Task WriteAsync(TouchpointDb db, IReadOnlyList<DistributionTarget> targets, CancellationToken ct)
    {
        if (targets.Count == 0)
        {
            return;
        }
        if (db.Database.IsNpgsql())
        {
            await CopyAsync((NpgsqlConnection)db.Database.GetDbConnection(), targets, ct);
        }
        else
        {
            await InsertAsync((SqliteConnection)db.Database.GetDbConnection(), (SqliteTransaction?)db.Database.CurrentTransaction?.GetDbTransaction(), targets, ct);
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<DistributionTarget> targets, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"COPY \"DistributionTargets\" ({Columns}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var t in targets)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(t.TaskId, NpgsqlDbType.Bigint, ct);
            await WriteNullableAsync(copy, t.ItemId, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(t.ItemOrder, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(t.DeviceId, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(t.Sn, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(t.Wave, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(t.State.ToString(), NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(t.Attempt, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(t.Progress, NpgsqlDbType.Integer, ct);
            await WriteNullableAsync(copy, t.SkipReason?.ToString(), NpgsqlDbType.Varchar, ct);
            await WriteNullableAsync(copy, t.Message, NpgsqlDbType.Varchar, ct);
            await WriteNullableAsync(copy, t.FromVersion, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(Utc(t.CreatedAtUtc), NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(Utc(t.UpdatedAtUtc), NpgsqlDbType.TimestampTz, ct);
            await WriteNullableAsync<DateTime?>(copy, t.CompletedAtUtc is { } c ? Utc(c) : null, NpgsqlDbType.TimestampTz, ct);
        }
        await copy.CompleteAsync(ct);
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct)
    {
        if (value is null)
        {
            await copy.WriteNullAsync(ct);
        }
        else
        {
            await copy.WriteAsync(value, type, ct);
        }
    }

    private static async Task InsertAsync(SqliteConnection connection, SqliteTransaction? transaction, IReadOnlyList<DistributionTarget> targets,
        CancellationToken ct)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO \"DistributionTargets\" ({Columns}) VALUES " +
            "($task, $item, $order, $device, $sn, $wave, $state, 0, 0, $skip, $message, $from, $created, $updated, $completed)";
        var names = new[] { "$task", "$item", "$order", "$device", "$sn", "$wave", "$state", "$skip", "$message", "$from", "$created", "$updated", "$completed" };
        var p = names.ToDictionary(n => n, n => insert.Parameters.Add(n, SqliteType.Text));
        await insert.PrepareAsync(ct);
        foreach (var t in targets)
        {
            p["$task"].Value = t.TaskId;
            p["$item"].Value = (object?)t.ItemId ?? DBNull.Value;
            p["$order"].Value = t.ItemOrder;
            p["$device"].Value = t.DeviceId;
            p["$sn"].Value = t.Sn;
            p["$wave"].Value = t.Wave;
            p["$state"].Value = t.State.ToString();
            p["$skip"].Value = (object?)t.SkipReason?.ToString() ?? DBNull.Value;
            p["$message"].Value = (object?)t.Message ?? DBNull.Value;
            p["$from"].Value = (object?)t.FromVersion ?? DBNull.Value;
            // The text form EF's SQLite provider writes and reads for DateTime.
            p["$created"].Value = Text(t.CreatedAtUtc);
            p["$updated"].Value = Text(t.UpdatedAtUtc);
            p["$completed"].Value = t.CompletedAtUtc is { } c ? Text(c) : DBNull.Value;
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static string Text(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
}
