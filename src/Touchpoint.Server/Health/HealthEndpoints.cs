using Microsoft.EntityFrameworkCore;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Health;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", GetHealthAsync).AllowAnonymous();
        return app;
    }

    private static async Task<IResult> GetHealthAsync(IDbContextFactory<TouchpointDb> factory, StorageOptions storage,
        IServiceProvider services, DeviceChannel.DeviceIngest ingest, CancellationToken ct)
    {
        // Embedded: devices connected to this node. External: whether this node's link to the broker is up.
        var embedded = services.GetService<DeviceChannel.DeviceBroker>();
        var devices = embedded?.Server is { IsStarted: true } server ? (await server.GetClientsAsync()).Count : (int?)null;
        var external = services.GetService<DeviceChannel.ExternalDeviceBroker>();
        await using var db = await factory.CreateDbContextAsync(ct);
        var applied = (await db.Database.GetAppliedMigrationsAsync(ct)).ToList();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        return TypedResults.Ok(new
        {
            status = pending.Count == 0 ? "ok" : "migrating",
            storage = db.Database.ProviderName switch
            {
                "Microsoft.EntityFrameworkCore.Sqlite" => StorageOptions.Sqlite,
                "Npgsql.EntityFrameworkCore.PostgreSQL" => StorageOptions.Postgres,
                var other => other,
            },
            schemaVersion = applied.LastOrDefault(),
            pendingMigrations = pending.Count,
            // Device channel counters: connected clients on this node, uplink messages accepted since start.
            deviceChannel = new
            {
                broker = external is null ? "embedded" : "external",
                connected = devices,
                brokerLink = external?.IsReady,
                messagesReceived = external?.MessagesReceived,
                messagesAccepted = ingest.MessagesAccepted,
            },
        });
    }
}
