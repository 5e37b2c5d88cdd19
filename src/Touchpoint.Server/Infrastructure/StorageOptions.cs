namespace Touchpoint.Server.Infrastructure;

/// <summary>Bound from the "Storage" section.</summary>
public sealed class StorageOptions
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";
    public static readonly string[] Supported = [Sqlite, Postgres];

    /// <summary>"Sqlite" (default, a file under data/) or "Postgres".</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>Provider connection string; for SQLite defaults to a file under data/.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// SQLite only: "Full" (default; every commit is on disk before it is answered) or "Normal" (synced at checkpoints;
    /// an OS crash or power loss can lose the last commits, never the file). See <see cref="SqlitePragmas"/>.
    /// </summary>
    public string SqliteSynchronous { get; set; } = "Full";
}
