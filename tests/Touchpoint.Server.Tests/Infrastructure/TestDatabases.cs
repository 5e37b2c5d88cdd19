using Npgsql;

namespace Touchpoint.Server.Tests.Infrastructure;

/// <summary>Drops the throw-away PostgreSQL databases the tests create.</summary>
public static class TestDatabases
{
    /// <summary>
    /// DROP … WITH (FORCE) still fails now and then while parallel test classes create and drop their own databases
    /// on the same server (pg_database is busy, or a connection from a pool being torn down arrives late). A
    /// leftover database on a throw-away test server harms nothing, a failed clean-up fails the run: retry, then
    /// report and go on.
    /// </summary>
    public static void Drop(string database)
    {
        NpgsqlConnection.ClearAllPools();
        var admin = new NpgsqlConnectionStringBuilder(PostgresFactory.ServerConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = new NpgsqlConnection(admin);
                connection.Open();
                using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
                drop.ExecuteNonQuery();
                return;
            }
            catch (NpgsqlException e) when (attempt < 5)
            {
                Console.Error.WriteLine($"Dropping test database {database} failed ({e.Message}); retrying.");
                Thread.Sleep(200 * attempt);
            }
            catch (NpgsqlException e)
            {
                Console.Error.WriteLine($"Test database {database} left behind: {e.Message}");
                return;
            }
        }
    }
}
