using Microsoft.EntityFrameworkCore;

namespace Touchpoint.Server.Infrastructure;

public static class StorageExtensions
{
    public static IHostApplicationBuilder AddTouchpointStorage(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        builder.Services.AddSingleton(options);
        switch (options.Provider)
        {
            case var p when p.Equals(StorageOptions.Sqlite, StringComparison.OrdinalIgnoreCase):
                var cs = options.ConnectionString ?? "Data Source=data/touchpoint.db";
                EnsureSqliteFolder(cs);
                var synchronous = options.SqliteSynchronous.ToUpperInvariant() is var level && level is "FULL" or "NORMAL" ? level
                    : throw new InvalidOperationException($"Storage:SqliteSynchronous must be Full or Normal, not '{options.SqliteSynchronous}'.");
                builder.Services.AddPooledDbContextFactory<SqliteTouchpointDb>(o => o.UseSqlite(cs).AddInterceptors(new SqlitePragmas(synchronous)));
                builder.Services.AddSingleton<IDbContextFactory<TouchpointDb>, TouchpointDbFactory<SqliteTouchpointDb>>();
                break;
            case var p when p.Equals(StorageOptions.Postgres, StringComparison.OrdinalIgnoreCase):
                var pg = options.ConnectionString
                    ?? throw new InvalidOperationException("Storage:ConnectionString is required for the Postgres provider.");
                builder.Services.AddPooledDbContextFactory<PostgresTouchpointDb>(o => o.UseNpgsql(pg));
                builder.Services.AddSingleton<IDbContextFactory<TouchpointDb>, TouchpointDbFactory<PostgresTouchpointDb>>();
                break;
            default:
                throw new InvalidOperationException(
                    $"Unknown Storage:Provider '{options.Provider}'. Supported: {string.Join(", ", StorageOptions.Supported)}.");
        }
        builder.Services.AddSingleton<GroupCommit>();
        builder.Services.AddHostedService<DatabaseInitializer>();
        return builder;
    }

    private static void EnsureSqliteFolder(string connectionString)
    {
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder) && file != ":memory:")
        {
            Directory.CreateDirectory(folder);
        }
    }
}

/// <summary>Hands out the provider-specific context as the one <see cref="TouchpointDb"/> the code knows.</summary>
internal sealed class TouchpointDbFactory<T>(IDbContextFactory<T> inner) : IDbContextFactory<TouchpointDb>
    where T : TouchpointDb
{
    public TouchpointDb CreateDbContext() => inner.CreateDbContext();
}
