using Microsoft.EntityFrameworkCore;
using Touchpoint.Server.Demo;
using Touchpoint.Server.OpenApi;

namespace Touchpoint.Server.Infrastructure;

/// <summary>
/// Applies pending migrations before the host serves anything, then seeds demo data when asked.
/// Migrations only ever add; EF takes a database lock so that several nodes starting together on
/// PostgreSQL do not race.
/// </summary>
internal sealed class DatabaseInitializer(
    IDbContextFactory<TouchpointDb> factory,
    DemoSeeder demo,
    PlatformKeyring keyring,
    DemoSandbox sandbox,
    Members.SimulatedMembers members,
    DemoAgents agents,
    Security.SecretSealer sealer,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // WAL lets the console read while a writer commits; set once, it sticks to the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken);
        }
        await sealer.EnsureKeyRingAsync(cancellationToken);
        await sealer.SealLegacyAsync(cancellationToken);
        await keyring.LoadOrCreateAsync(cancellationToken);
        await members.EnsureAsync(cancellationToken);
        await demo.SeedIfEnabledAsync(cancellationToken);
        await sandbox.EnsureAsync(cancellationToken);
        await agents.EnsureAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
