using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Touchpoint.Server.Tests.Infrastructure;

/// <summary>
/// The real host over a real, fresh database with the demo data: a SQLite file in a temp folder, or a new
/// PostgreSQL database on the server named by TOUCHPOINT_TEST_POSTGRES (the test command starts one).
/// </summary>
public abstract class TouchpointFactory : WebApplicationFactory<Program>
{
    protected abstract string Provider { get; }
    protected abstract string ConnectionString { get; }

    /// <summary>This host's own folder (SQLite file, demo sandbox keys); deleted with the factory.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("touchpoint-test-").FullName;

    /// <summary>Where devices connect: this host's own MQTT port (a free loopback port), or the external broker's.</summary>
    public virtual int MqttPort { get; } = FreePorts.Next();

    /// <summary>How agents in the tests authenticate: signed tokens for the embedded broker, passwords for an external one.</summary>
    public virtual Touchpoint.Device.AgentAuth AgentAuth => Touchpoint.Device.AgentAuth.Token;


    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // UseSetting, not ConfigureAppConfiguration: with minimal hosting only settings are visible while
        // Program registers services, and storage is chosen there.
        builder.UseSetting("Storage:Provider", Provider);
        builder.UseSetting("Storage:ConnectionString", ConnectionString);
        builder.UseSetting("Demo:Seed", "true");
        builder.UseSetting("OwnerLookup:PermitsPerWindow", "5");
        builder.UseSetting("OwnerLookup:Window", "01:00:00");
        builder.UseSetting("Demo:SandboxDirectory", Path.Combine(Folder, "demo"));
        // Retries in a test run in fractions of a second instead of minutes (4 min × 0.0005 = 0.12 s).
        builder.UseSetting("Notifications:RetryDelayScale", "0.0005");
        builder.UseSetting("Notifications:PollSeconds", "0.2");
        builder.UseSetting("Notifications:TimeoutSeconds", "5");
        // Each host gets its own device endpoint on loopback.
        builder.UseSetting("DeviceChannel:BindAddress", "127.0.0.1");
        builder.UseSetting("DeviceChannel:Port", MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("DeviceChannel:FlushSeconds", "0.1");
        builder.UseSetting("Distribution:ArtifactPath", Path.Combine(Folder, "artifacts"));
        builder.UseSetting("Distribution:TickSeconds", "0.2");
        builder.UseSetting("Distribution:ResendSeconds", "2");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

public sealed class SqliteFactory : TouchpointFactory
{
    protected override string Provider => "Sqlite";
    protected override string ConnectionString => $"Data Source={Path.Combine(Folder, "touchpoint.db")}";
}

public class PostgresFactory : TouchpointFactory
{
    private readonly string _database = $"tp_test_{Guid.NewGuid():N}";
    protected override string Provider => "Postgres";
    protected override string ConnectionString => new NpgsqlConnectionStringBuilder(ServerConnectionString)
    {
        // Several hosts share one test server (max_connections 100): each pool stays well under it, as a deployment
        // keeps nodes × pool size under the server's limit.
        Database = _database, MaxPoolSize = 30,
    }.ConnectionString;

    /// <summary>Where the test PostgreSQL listens; the README's test command sets it.</summary>
    public static string ServerConnectionString => Environment.GetEnvironmentVariable("TOUCHPOINT_TEST_POSTGRES")
        ?? throw new InvalidOperationException(
            "TOUCHPOINT_TEST_POSTGRES is not set. Run ./test.sh (it starts PostgreSQL) or point it at a server, e.g. " +
            "\"Host=127.0.0.1;Username=touchpoint;Password=touchpoint\".");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        TestDatabases.Drop(_database);
    }
}

/// <summary>
/// PostgreSQL and a real mosquitto as the external broker: the set-up of a multi-node deployment. The server connects
/// as the broker's administrator, devices with their derived passwords.
/// </summary>
public sealed class MosquittoFactory : PostgresFactory
{
    public MosquittoBroker Broker { get; } = new();

    public override int MqttPort => Broker.Port;
    public override Touchpoint.Device.AgentAuth AgentAuth => Touchpoint.Device.AgentAuth.Password;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        UseExternalBroker(builder, Broker, "touchpoint-test-" + Guid.NewGuid().ToString("N")[..8]);
    }

    /// <summary>Points a host at the broker; each node needs its own client id.</summary>
    public static void UseExternalBroker(IWebHostBuilder builder, MosquittoBroker broker, string clientId)
    {
        builder.UseSetting("DeviceChannel:Broker", "External");
        builder.UseSetting("DeviceChannel:External:Host", "127.0.0.1");
        builder.UseSetting("DeviceChannel:External:Port", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("DeviceChannel:External:Username", broker.AdminUser);
        builder.UseSetting("DeviceChannel:External:Password", broker.AdminPassword);
        builder.UseSetting("DeviceChannel:External:ClientId", clientId);
        builder.UseSetting("DeviceChannel:HeartbeatTimeoutSeconds", "5");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Broker.Dispose();
    }
}
