using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Devices;
using Touchpoint.Device;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Bench;

/// <summary>
/// N real device agents (src/Touchpoint.Device) against one server process on this machine: time until all are
/// connected, the server's resident memory, and uplink messages ingested per second (heartbeats and telemetry,
/// counted by the server). Agents and server share the machine's cores, so the figures are floors.
/// </summary>
public static class DeviceChannelBench
{
    public static async Task RunAsync(string[] args)
    {
        if (args.Contains("--external"))
        {
            await ExternalBrokerBench.RunAsync(args);
            return;
        }
        var counts = (Arg(args, "--agents") ?? "1000,10000").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToList();
        var seconds = int.Parse(Arg(args, "--seconds") ?? "20", CultureInfo.InvariantCulture);
        var heartbeat = double.Parse(Arg(args, "--heartbeat") ?? "0.5", CultureInfo.InvariantCulture);
        Console.WriteLine($"Touchpoint device channel benchmark: {Environment.ProcessorCount} cores, heartbeat every {heartbeat} s per agent, {seconds} s ingest window");
        Console.WriteLine($"  {"agents",8} {"connect s",10} {"server RSS MB",14} {"ingest msg/s",13} {"server CPU %",13} {"msg/s per server core",22} {"connected",10}");
        foreach (var count in counts)
        {
            await RunOnceAsync(count, seconds, heartbeat);
        }
    }

    private static async Task RunOnceAsync(int count, int seconds, double heartbeat)
    {
        var folder = Directory.CreateTempSubdirectory("touchpoint-mqtt-bench-").FullName;
        var (httpPort, mqttPort) = (BenchServer.FreePort(), BenchServer.FreePort());
        var baseUrl = $"http://127.0.0.1:{httpPort}";
        var connection = $"Data Source={Path.Combine(folder, "touchpoint.db")}";
        using var server = BenchServer.Start(folder, baseUrl, new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Sqlite",
            ["Storage__ConnectionString"] = connection,
            ["DeviceChannel__Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
            ["DeviceChannel__BindAddress"] = "127.0.0.1",
        });
        var agents = new List<DeviceAgent>();
        using var stop = new CancellationTokenSource();
        try
        {
            await BenchServer.WaitHealthyAsync(baseUrl);
            var identities = await SeedAsync(() => new SqliteTouchpointDb(new DbContextOptionsBuilder<SqliteTouchpointDb>().UseSqlite(connection).Options), count);
            var options = new AgentOptions { Host = "127.0.0.1", Port = mqttPort, Heartbeat = TimeSpan.FromSeconds(heartbeat), MaxBackoff = TimeSpan.FromSeconds(5) };
            agents.AddRange(identities.Select(i => new DeviceAgent(i, options)));
            var started = Stopwatch.StartNew();
            var runs = agents.Select(a => Task.Run(() => a.RunAsync(stop.Token))).ToList();
            while (agents.Count(a => a.IsConnected) < count && started.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(100);
            }
            var connectSeconds = started.Elapsed.TotalSeconds;
            var before = await HealthAsync(baseUrl);
            var cpuBefore = CpuSeconds(server.Id);
            var window = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var after = await HealthAsync(baseUrl);
            var cpu = CpuSeconds(server.Id) - cpuBefore;
            var elapsed = window.Elapsed.TotalSeconds;
            var rate = (after.Messages - before.Messages) / elapsed;
            var rss = ResidentMegabytes(server.Id);
            // The agents share the cores; what the server spends per message says what it would do with the machine to itself.
            var perCore = cpu > 0 ? (after.Messages - before.Messages) / cpu : 0;
            Console.WriteLine($"  {count,8:N0} {connectSeconds,10:N1} {rss,14:N0} {rate,13:N0} {cpu / elapsed * 100,13:N0} {perCore,22:N0} {after.Connected,10:N0}");
            stop.Cancel();
            await Task.WhenAll(runs);
        }
        finally
        {
            stop.Cancel();
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
            server.Kill(entireProcessTree: true);
            server.WaitForExit();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>An owner, N devices and a device key each, written straight into the server's database.</summary>
    internal static async Task<List<AgentIdentity>> SeedAsync(Func<TouchpointDb> open, int count)
    {
        await using var db = open();
        var now = DateTime.UtcNow;
        var maker = new Account { LoginName = "bench-maker", DisplayName = "压测厂商", Role = AccountRole.Manufacturer, PasswordHash = "-", CreatedAtUtc = now };
        var owner = new Account { LoginName = "bench-owner", DisplayName = "压测商家", Role = AccountRole.Merchant, MerchantKind = MerchantKind.Enterprise, PasswordHash = "-", CreatedAtUtc = now };
        db.Accounts.AddRange(maker, owner);
        await db.SaveChangesAsync();
        var identities = new List<AgentIdentity>(count);
        for (var start = 0; start < count; start += 1000)
        {
            var batch = Enumerable.Range(start, Math.Min(1000, count - start)).Select(i => new Touchpoint.Core.Devices.Device
            {
                Sn = $"BN{i:D8}", Type = DeviceType.FacePay, Model = "蜻蜓 F4", ManufacturerId = maker.Id, OwnerId = owner.Id, CreatedAtUtc = now,
            }).ToList();
            db.Devices.AddRange(batch);
            await db.SaveChangesAsync();
            foreach (var device in batch)
            {
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                db.DeviceCredentials.Add(new DeviceCredential { DeviceId = device.Id, PublicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), IssuedAtUtc = now, IssuedById = maker.Id });
                identities.Add(new AgentIdentity(device.Sn, key.ExportPkcs8PrivateKeyPem()));
            }
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
        return identities;
    }

    private static async Task<(long Messages, int Connected)> HealthAsync(string baseUrl)
    {
        using var http = new HttpClient();
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"{baseUrl}/healthz"));
        var channel = doc.RootElement.GetProperty("deviceChannel");
        return (channel.GetProperty("messagesAccepted").GetInt64(), channel.GetProperty("connected").GetInt32());
    }

    /// <summary>User + system CPU seconds of a process (/proc/pid/stat, clock ticks of 1/100 s).</summary>
    internal static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    internal static double ResidentMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private static string? Arg(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
