using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using MQTTnet;
using Npgsql;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Device;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Bench;

/// <summary>
/// The multi-node set-up on one machine: mosquitto 2 (dynamic security), PostgreSQL and several server nodes sharing
/// the uplinks through a shared subscription, with N real agents authenticating by password. Prints the connect time,
/// messages ingested per second in total and per node (the split the broker made), and each process's memory.
/// Everything shares two cores here, so this shows that the load splits and what it costs, not a scale-out ceiling.
/// </summary>
public static class ExternalBrokerBench
{
    public static async Task RunAsync(string[] args)
    {
        var agentsCount = int.Parse(Arg(args, "--agents") ?? "2000", CultureInfo.InvariantCulture);
        var nodes = int.Parse(Arg(args, "--nodes") ?? "2", CultureInfo.InvariantCulture);
        var seconds = int.Parse(Arg(args, "--seconds") ?? "20", CultureInfo.InvariantCulture);
        var heartbeat = double.Parse(Arg(args, "--heartbeat") ?? "0.5", CultureInfo.InvariantCulture);
        var pgServer = Environment.GetEnvironmentVariable("TOUCHPOINT_TEST_POSTGRES")
            ?? throw new InvalidOperationException("TOUCHPOINT_TEST_POSTGRES is not set (bench/mqtt.sh --external starts PostgreSQL)");
        Console.WriteLine($"Touchpoint external-broker benchmark: mosquitto + PostgreSQL + {nodes} nodes, {agentsCount:N0} agents, " +
            $"heartbeat every {heartbeat} s, {seconds} s window, {Environment.ProcessorCount} cores");

        var folder = Directory.CreateTempSubdirectory("touchpoint-external-bench-").FullName;
        var database = $"tp_bench_{Guid.NewGuid():N}";
        var connection = new NpgsqlConnectionStringBuilder(pgServer) { Database = database }.ConnectionString;
        using var broker = Mosquitto.Start(folder);
        var servers = new List<(Process Process, string BaseUrl)>();
        var agents = new List<DeviceAgent>();
        using var stop = new CancellationTokenSource();
        try
        {
            for (var n = 0; n < nodes; n++)
            {
                var baseUrl = $"http://127.0.0.1:{BenchServer.FreePort()}";
                servers.Add((BenchServer.Start(folder, baseUrl, new Dictionary<string, string>
                {
                    ["Storage__Provider"] = "Postgres",
                    ["Storage__ConnectionString"] = connection,
                    ["DeviceChannel__Broker"] = "External",
                    ["DeviceChannel__External__Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
                    ["DeviceChannel__External__Username"] = Mosquitto.Admin,
                    ["DeviceChannel__External__Password"] = broker.Password,
                    ["DeviceChannel__External__ClientId"] = $"touchpoint-bench-{n}",
                }), baseUrl));
                await BenchServer.WaitHealthyAsync(baseUrl); // the first node migrates the new database
            }
            // Each node links up in the background, and the first gives the platform account its role, which makes
            // mosquitto drop every session of that account (this benchmark's own included): let that happen first.
            while (!(await Task.WhenAll(servers.Select(s => LinkedAsync(s.BaseUrl)))).All(up => up))
            {
                await Task.Delay(200);
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
            var identities = await DeviceChannelBench.SeedAsync(() =>
                new PostgresTouchpointDb(new DbContextOptionsBuilder<PostgresTouchpointDb>().UseNpgsql(connection).Options), agentsCount);
            var provisioning = Stopwatch.StartNew();
            await broker.ProvisionAsync(identities);
            Console.WriteLine($"  device accounts on mosquitto: {provisioning.Elapsed.TotalSeconds:N1} s for {agentsCount:N0}");

            var options = new AgentOptions
            {
                Host = "127.0.0.1", Port = broker.Port, Auth = AgentAuth.Password, Heartbeat = TimeSpan.FromSeconds(heartbeat), MaxBackoff = TimeSpan.FromSeconds(5),
            };
            agents.AddRange(identities.Select(i => new DeviceAgent(i, options)));
            var started = Stopwatch.StartNew();
            var runs = agents.Select(a => Task.Run(() => a.RunAsync(stop.Token))).ToList();
            while (agents.Count(a => a.IsConnected) < agentsCount && started.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(100);
            }
            var connectSeconds = started.Elapsed.TotalSeconds;
            var before = await Task.WhenAll(servers.Select(s => HealthAsync(s.BaseUrl)));
            var cpuBefore = servers.Select(s => DeviceChannelBench.CpuSeconds(s.Process.Id)).Append(DeviceChannelBench.CpuSeconds(broker.Pid)).ToList();
            var window = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var after = await Task.WhenAll(servers.Select(s => HealthAsync(s.BaseUrl)));
            var elapsed = window.Elapsed.TotalSeconds;
            var cpu = servers.Select(s => DeviceChannelBench.CpuSeconds(s.Process.Id)).Append(DeviceChannelBench.CpuSeconds(broker.Pid))
                .Zip(cpuBefore, (a, b) => (a - b) / elapsed * 100).ToList();
            var perNode = after.Zip(before, (a, b) => (a.Accepted - b.Accepted) / elapsed).ToList();
            var online = await CountOnlineAsync(connection);
            Console.WriteLine($"  connected {agents.Count(a => a.IsConnected):N0}/{agentsCount:N0} in {connectSeconds:N1} s; recorded online {online:N0}");
            Console.WriteLine($"  ingest {perNode.Sum():N0} msg/s in total; per node {string.Join(" / ", perNode.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}");
            Console.WriteLine($"  RSS MB: mosquitto {DeviceChannelBench.ResidentMegabytes(broker.Pid):N0}; nodes {string.Join(" / ", servers.Select(s => DeviceChannelBench.ResidentMegabytes(s.Process.Id).ToString("N0", CultureInfo.InvariantCulture)))}");
            // The agents and the broker take most of two cores; what a node spends per message is the figure that scales.
            Console.WriteLine($"  CPU %: mosquitto {cpu[^1]:N0}; nodes {string.Join(" / ", cpu.SkipLast(1).Select(c => c.ToString("N0", CultureInfo.InvariantCulture)))}; " +
                $"msg/s per node core {perNode.Sum() / Math.Max(cpu.SkipLast(1).Sum() / 100, 0.01):N0}");
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
            foreach (var (process, _) in servers)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
            NpgsqlConnection.ClearAllPools();
            await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(pgServer) { Database = "postgres" }.ConnectionString))
            {
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<int> CountOnlineAsync(string connection)
    {
        await using var db = new PostgresTouchpointDb(new DbContextOptionsBuilder<PostgresTouchpointDb>().UseNpgsql(connection).Options);
        return await db.Devices.CountAsync(d => d.IsOnline);
    }

    private static async Task<(long Accepted, long Received)> HealthAsync(string baseUrl)
    {
        using var http = new HttpClient();
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"{baseUrl}/healthz"));
        var channel = doc.RootElement.GetProperty("deviceChannel");
        return (channel.GetProperty("messagesAccepted").GetInt64(), channel.GetProperty("messagesReceived").GetInt64());
    }

    private static async Task<bool> LinkedAsync(string baseUrl)
    {
        using var http = new HttpClient();
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"{baseUrl}/healthz"));
        return doc.RootElement.GetProperty("deviceChannel").GetProperty("brokerLink").GetBoolean();
    }

    private static string? Arg(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    /// <summary>mosquitto with the dynamic security plugin, as docs/device-protocol.md sets it up.</summary>
    private sealed class Mosquitto : IDisposable
    {
        public const string Admin = "touchpoint";
        private readonly Process _process;
        private readonly string _log;
        public int Port { get; } = BenchServer.FreePort();
        public string Password { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        public int Pid => _process.Id;

        private Mosquitto(string folder)
        {
            var dynsec = Path.Combine(folder, "dynamic-security.json");
            using (var init = Process.Start(new ProcessStartInfo("/usr/bin/mosquitto_ctrl", ["dynsec", "init", dynsec, Admin, Password])
            { RedirectStandardOutput = true, RedirectStandardInput = true })!)
            {
                init.StandardInput.Close();
                init.StandardOutput.ReadToEnd();
                init.WaitForExit();
            }
            var config = Path.Combine(folder, "mosquitto.conf");
            File.WriteAllText(config, $"""
                listener {Port} 127.0.0.1
                allow_anonymous false
                plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so
                plugin_opt_config_file {dynsec}
                persistence false
                user root
                max_packet_size 70000
                log_dest file {Path.Combine(folder, "mosquitto.log")}
                """);
            _log = Path.Combine(folder, "mosquitto.log");
            _process = Process.Start(new ProcessStartInfo("/usr/sbin/mosquitto", ["-c", config]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            for (var i = 0; i < 100; i++)
            {
                try
                {
                    using var probe = new TcpClient();
                    probe.Connect("127.0.0.1", Port);
                    return;
                }
                catch (SocketException)
                {
                    Thread.Sleep(50);
                }
            }
            throw new InvalidOperationException("mosquitto did not start");
        }

        public static Mosquitto Start(string folder) => new(folder);

        /// <summary>The accounts the platform creates when it issues keys, created here in bulk (the keys were seeded).</summary>
        public async Task ProvisionAsync(IReadOnlyList<AgentIdentity> identities)
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            var answers = new SemaphoreSlim(0);
            client.ApplicationMessageReceivedAsync += _ =>
            {
                answers.Release();
                return Task.CompletedTask;
            };
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithClientId("bench-admin")
                .WithCredentials(Admin, Password).Build());
            await client.SubscribeAsync("$CONTROL/dynamic-security/v1/response");
            foreach (var batch in identities.Chunk(40)) // stays under max_packet_size
            {
                var commands = new JsonArray();
                foreach (var identity in batch)
                {
                    using var key = ECDsa.Create();
                    key.ImportFromPem(identity.PrivateKeyPem);
                    var role = "tp-device-" + identity.Sn;
                    commands.Add(new JsonObject { ["command"] = "createRole", ["rolename"] = role });
                    foreach (var (type, topic) in new[]
                    {
                        ("publishClientSend", $"{DeviceTopics.Prefix}{identity.Sn}/up/#"),
                        ("subscribePattern", DeviceTopics.DownFilter(identity.Sn)),
                        ("publishClientReceive", DeviceTopics.DownFilter(identity.Sn)),
                    })
                    {
                        commands.Add(new JsonObject { ["command"] = "addRoleACL", ["rolename"] = role, ["acltype"] = type, ["topic"] = topic, ["allow"] = true });
                    }
                    commands.Add(new JsonObject
                    {
                        ["command"] = "createClient", ["username"] = identity.Sn, ["password"] = BrokerPassword.Derive(key, identity.Sn),
                        ["roles"] = new JsonArray(new JsonObject { ["rolename"] = role }),
                    });
                }
                await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("$CONTROL/dynamic-security/v1")
                    .WithPayload(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["commands"] = commands })).Build());
                if (!await answers.WaitAsync(TimeSpan.FromSeconds(60)))
                {
                    throw new TimeoutException("mosquitto did not answer the account batch; its log ends: " +
                        string.Join('\n', File.ReadLines(_log).TakeLast(15)));
                }
            }
        }

        public void Dispose()
        {
            _process.Kill();
            _process.WaitForExit();
            _process.Dispose();
        }
    }
}
