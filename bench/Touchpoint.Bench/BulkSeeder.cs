using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Bench;

/// <summary>
/// Fills a migrated database with a large fleet: one big merchant (the one measured) and the rest spread over
/// many small owners, every device with two apps. Bulk paths (one SQLite transaction, PostgreSQL COPY) keep it fast.
/// </summary>
internal static class BulkSeeder
{
    public const long BigOwnerId = 1;
    public const int BigOwnerDevices = 100_000;
    private const int Owners = 1000;

    public static async Task SeedAsync(TouchpointDb db, int devices)
    {
        var sw = Stopwatch.StartNew();
        await db.Database.MigrateAsync();
        var now = DateTime.UtcNow;
        if (db.Database.IsSqlite()) await SeedSqliteAsync((SqliteConnection)db.Database.GetDbConnection(), devices, now);
        else await SeedPostgresAsync((NpgsqlConnection)db.Database.GetDbConnection(), devices, now);
        Console.WriteLine($"  seeded {devices:N0} devices and {devices * 2:N0} apps in {sw.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Owners whose whole fleet is exported: 10k, 50k and 100k devices.</summary>
    public static readonly (long OwnerId, int Devices)[] ExportOwners = [(2, 10_000), (3, 50_000), (BigOwnerId, BigOwnerDevices)];

    private static long OwnerOf(int i) => i switch
    {
        < BigOwnerDevices => BigOwnerId,
        < BigOwnerDevices + 10_000 => 2,
        < BigOwnerDevices + 60_000 => 3,
        _ => 4 + i % (Owners - 3),
    };

    private static (string Sn, int Type, bool Online, DateTime LastOnline, DateTime Boot, DateTime Owned) Row(int i, DateTime now) =>
        ($"BN{i:D10}", 1 + i % 5, i % 3 != 0, now.AddSeconds(-(i * 7919L % 8_000_000)), now.AddSeconds(-(i * 104729L % 9_000_000)),
         now.AddSeconds(-(i * 1299709L % 30_000_000)));

    /// <summary>The same text Device.SummarizeApps makes for the two apps seeded below.</summary>
    private static string Apps(int i) => $"云点收银台 1.{i % 7}.0；支付宝IoT服务 3.{i % 5}.{i % 10}";

    private static async Task SeedSqliteAsync(SqliteConnection conn, int devices, DateTime now)
    {
        await conn.OpenAsync();
        await Exec(conn, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;");
        await using var tx = conn.BeginTransaction();
        using (var accounts = conn.CreateCommand())
        {
            accounts.CommandText = "INSERT INTO Accounts (Id, LoginName, DisplayName, Role, PasswordHash, FailedLoginCount, Disabled, CreatedAtUtc) VALUES ($id, $login, $name, $role, 'x', 0, 0, $now)";
            var (id, login, name, role) = (accounts.Parameters.Add("$id", SqliteType.Integer), accounts.Parameters.Add("$login", SqliteType.Text),
                accounts.Parameters.Add("$name", SqliteType.Text), accounts.Parameters.Add("$role", SqliteType.Integer));
            accounts.Parameters.AddWithValue("$now", now);
            for (var a = 1; a <= Owners + 1; a++)
            {
                (id.Value, login.Value, name.Value, role.Value) = (a, $"bench{a}", $"压测商家{a}有限公司", a == Owners + 1 ? 2 : 3);
                await accounts.ExecuteNonQueryAsync();
            }
        }
        using var device = conn.CreateCommand();
        device.CommandText = """
            INSERT INTO Devices (Id, Sn, Type, Model, ManufacturerId, ShipmentChannel, TransferType, OwnerId, OwnershipUpdatedAtUtc, AndroidVersion,
                AntOs, Capabilities, LastBootAtUtc, LastOnlineAtUtc, LastOnlineLocation, NetworkType, IsOnline, CreatedAtUtc, Revision, AppsSummary)
            VALUES ($id, $sn, $type, 'BENCH-1', $maker, 1, 1, $owner, $owned, '11', 1, 1, $boot, $online, '浙江省杭州市西湖区文三路 90 号', 1, $isOnline, $now, 1, $apps)
            """;
        var p = new[] { "$id", "$sn", "$type", "$maker", "$owner", "$owned", "$boot", "$online", "$isOnline", "$now", "$apps" }
            .ToDictionary(n => n, n => device.Parameters.Add(n, SqliteType.Text));
        p["$maker"].Value = Owners + 1;
        p["$now"].Value = now;
        using var app = conn.CreateCommand();
        app.CommandText = "INSERT INTO DeviceApps (DeviceId, PackageName, AppName, Version) VALUES ($d, $p, $n, $v)";
        var (ad, ap, an, av) = (app.Parameters.Add("$d", SqliteType.Integer), app.Parameters.Add("$p", SqliteType.Text),
            app.Parameters.Add("$n", SqliteType.Text), app.Parameters.Add("$v", SqliteType.Text));
        for (var i = 0; i < devices; i++)
        {
            var r = Row(i, now);
            (p["$id"].Value, p["$sn"].Value, p["$type"].Value, p["$owner"].Value, p["$owned"].Value, p["$boot"].Value, p["$online"].Value, p["$isOnline"].Value) =
                (i + 1, r.Sn, r.Type, OwnerOf(i), r.Owned, r.Boot, r.LastOnline, r.Online ? 1 : 0);
            p["$apps"].Value = Apps(i);
            await device.ExecuteNonQueryAsync();
            (ad.Value, ap.Value, an.Value, av.Value) = (i + 1, "com.alipay.iot.service", "支付宝IoT服务", $"3.{i % 5}.{i % 10}");
            await app.ExecuteNonQueryAsync();
            (ap.Value, an.Value, av.Value) = ("com.yundian.pos", "云点收银台", $"1.{i % 7}.0");
            await app.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        await Exec(conn, "ANALYZE;");
    }

    private static async Task SeedPostgresAsync(NpgsqlConnection conn, int devices, DateTime now)
    {
        await conn.OpenAsync();
        await using (var accounts = await conn.BeginBinaryImportAsync(
            "COPY \"Accounts\" (\"Id\", \"LoginName\", \"DisplayName\", \"Role\", \"PasswordHash\", \"FailedLoginCount\", \"Disabled\", \"CreatedAtUtc\") FROM STDIN (FORMAT BINARY)"))
        {
            for (var a = 1; a <= Owners + 1; a++)
            {
                await accounts.WriteRowAsync(default, (long)a, $"bench{a}", $"压测商家{a}有限公司", a == Owners + 1 ? 2 : 3, "x", 0, false, now);
            }
            await accounts.CompleteAsync();
        }
        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY "Devices" ("Id", "Sn", "Type", "Model", "ManufacturerId", "ShipmentChannel", "TransferType", "OwnerId", "OwnershipUpdatedAtUtc",
                "AndroidVersion", "AntOs", "Capabilities", "LastBootAtUtc", "LastOnlineAtUtc", "LastOnlineLocation", "NetworkType", "IsOnline", "CreatedAtUtc", "Revision", "AppsSummary")
            FROM STDIN (FORMAT BINARY)
            """))
        {
            for (var i = 0; i < devices; i++)
            {
                var r = Row(i, now);
                await copy.StartRowAsync();
                await copy.WriteAsync((long)i + 1, NpgsqlDbType.Bigint);
                await copy.WriteAsync(r.Sn);
                await copy.WriteAsync(r.Type);
                await copy.WriteAsync("BENCH-1");
                await copy.WriteAsync((long)Owners + 1, NpgsqlDbType.Bigint);
                await copy.WriteAsync(1);
                await copy.WriteAsync(1);
                await copy.WriteAsync(OwnerOf(i), NpgsqlDbType.Bigint);
                await copy.WriteAsync(r.Owned, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync("11");
                await copy.WriteAsync(true);
                await copy.WriteAsync(1);
                await copy.WriteAsync(r.Boot, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(r.LastOnline, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync("浙江省杭州市西湖区文三路 90 号");
                await copy.WriteAsync(1);
                await copy.WriteAsync(r.Online);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(1);
                await copy.WriteAsync(Apps(i));
            }
            await copy.CompleteAsync();
        }
        await using (var copy = await conn.BeginBinaryImportAsync("COPY \"DeviceApps\" (\"DeviceId\", \"PackageName\", \"AppName\", \"Version\") FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < devices; i++)
            {
                await copy.WriteRowAsync(default, (long)i + 1, "com.alipay.iot.service", "支付宝IoT服务", $"3.{i % 5}.{i % 10}");
                await copy.WriteRowAsync(default, (long)i + 1, "com.yundian.pos", "云点收银台", $"1.{i % 7}.0");
            }
            await copy.CompleteAsync();
        }
        await Exec(conn, """SELECT setval(pg_get_serial_sequence('"Devices"', 'Id'), (SELECT max("Id") FROM "Devices"));""");
        // Steady state as autovacuum leaves it: statistics plus a visibility map, so counts can be index-only.
        await Exec(conn, "VACUUM ANALYZE;");
    }

    private static async Task Exec(System.Data.Common.DbConnection conn, string sql)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 600;
        await cmd.ExecuteNonQueryAsync();
    }
}
