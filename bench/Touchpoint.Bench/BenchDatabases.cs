using Microsoft.EntityFrameworkCore;
using Npgsql;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Bench;

/// <summary>A fresh SQLite file or PostgreSQL database per benchmark run, and how to remove it.</summary>
internal static class BenchDatabases
{
    public static (IDbContextFactory<TouchpointDb>, Action) Sqlite()
{
    var folder = Directory.CreateTempSubdirectory("touchpoint-bench-").FullName;
    var options = new DbContextOptionsBuilder<SqliteTouchpointDb>().UseSqlite($"Data Source={Path.Combine(folder, "bench.db")}").Options;
    return (new Factory(() => new SqliteTouchpointDb(options)), () =>
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, true);
    });
}

    public static (IDbContextFactory<TouchpointDb>, Action) Postgres()
{
    var server = Environment.GetEnvironmentVariable("TOUCHPOINT_TEST_POSTGRES")
        ?? throw new InvalidOperationException("TOUCHPOINT_TEST_POSTGRES is not set; bench/run.sh starts PostgreSQL and sets it.");
    var database = $"tp_bench_{Guid.NewGuid():N}";
    var options = new DbContextOptionsBuilder<PostgresTouchpointDb>()
        .UseNpgsql(new NpgsqlConnectionStringBuilder(server) { Database = database, CommandTimeout = 600 }.ConnectionString).Options;
    return (new Factory(() => new PostgresTouchpointDb(options)), () =>
    {
        if (Environment.GetEnvironmentVariable("TOUCHPOINT_BENCH_KEEP") == "1")
        {
            Console.WriteLine($"  kept database {database}");
            return;
        }
        NpgsqlConnection.ClearAllPools();
        using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString);
        admin.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
        drop.ExecuteNonQuery();
    });
}
}
