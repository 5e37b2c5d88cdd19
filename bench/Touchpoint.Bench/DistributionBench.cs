using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Distribution;
using Touchpoint.Device;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Distribution;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Bench;

/// <summary>
/// 应用分发 benchmarks (issue 11).
/// <c>tasks</c>: a task to 100,000 seeded devices created with its pre-flight (target under 5 s), and the details page
/// filtered by state (p95 target under 100 ms), on SQLite and PostgreSQL, through DistributionService / DistributionQueries.
/// <c>rollout</c>: the Release server as its own process; download throughput of the signed, authorized endpoint as a
/// ratio to a plain static-file server (separate process, same file, same load, same run; target ≥ 80 %); then N real
/// agents install the package in waves: time to all done and the server's peak RSS (target under 1.5 GB), for 5 MB and
/// 50 MB packages so the memory can be compared as the package grows.
/// </summary>
public static class DistributionBench
{
    public static async Task RunAsync(string[] args)
    {
        var part = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
        if (part is "tasks" or "all")
        {
            await TasksAsync(args);
        }
        if (part is "rollout" or "all")
        {
            await RolloutAsync(args);
        }
    }

    // ---- tasks: creation with pre-flight, details page

    private static async Task TasksAsync(string[] args)
    {
        var devices = Int(args, "--devices", 110_000);
        var rounds = Int(args, "--rounds", 3);
        var iterations = Int(args, "--iterations", 100);
        var providers = (Arg(args, "--providers") ?? "sqlite,postgres").Split(',');
        Console.WriteLine($"Distribution tasks: {BulkSeeder.BigOwnerDevices:N0} devices in the task (of {devices:N0} seeded), {rounds} rounds, " +
            $"{iterations} queries per filter, {Environment.ProcessorCount} cores");
        foreach (var provider in providers)
        {
            var (factory, cleanup) = provider == "sqlite" ? BenchDatabases.Sqlite() : BenchDatabases.Postgres();
            Console.WriteLine($"\n== {provider}");
            await using (var db = factory.CreateDbContext())
            {
                await BulkSeeder.SeedAsync(db, devices);
            }
            var clock = TimeProvider.System;
            var owner = new Actor(BulkSeeder.BigOwnerId, AccountRole.Merchant, "压测商家1有限公司");
            string appId;
            await using (var db = factory.CreateDbContext())
            {
                var app = new CatalogueApp
                {
                    AppId = "3026000000000001", Name = "压测应用", Kind = CatalogueKind.PartnerApp, OwnerId = owner.Id, PackageName = "com.bench.app",
                    CertificateSha256 = new string('c', 64), CreatedAtUtc = DateTime.UtcNow,
                };
                app.Versions.Add(new AppVersion { VersionCode = 10, VersionName = "1.0.0", MinSdk = 24, ArtifactSha256 = new string('a', 64), SizeBytes = 5 << 20, CreatedById = owner.Id, CreatedAtUtc = DateTime.UtcNow });
                db.CatalogueApps.Add(app);
                await db.SaveChangesAsync();
                appId = app.AppId;
            }
            var options = Options.Create(new DistributionOptions());
            // The service logs how the creation time splits into judging and writing.
            using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
            var service = new DistributionService(factory, new DistributionSignal(), options, clock, logs.CreateLogger<DistributionService>());
            var queries = new DistributionQueries(factory, new DeviceAccess(factory, clock), clock);
            var created = new List<double>();
            var cpu = new List<double>();
            long taskId = 0;
            for (var round = 0; round < rounds; round++)
            {
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                var task = await service.CreateAsync(owner, new NewDistributionTask(null, DistributionAction.Install, [new TaskItemRequest(appId)],
                    new DeviceSelection(), new RolloutPolicy { FirstWavePercent = 10 }), TaskSource.Console, start: false);
                created.Add(sw.Elapsed.TotalSeconds);
                cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
                taskId = task.Id;
                if (task.Count(TargetState.Pending) != BulkSeeder.BigOwnerDevices)
                {
                    throw new InvalidOperationException($"expected {BulkSeeder.BigOwnerDevices} eligible targets, got {task.Count(TargetState.Pending)}");
                }
            }
            Console.WriteLine($"  create task + pre-flight ({BulkSeeder.BigOwnerDevices:N0} devices): median {Median(created):F2} s (spread {created.Min():F2}–{created.Max():F2}), " +
                $"bench-process CPU {Median(cpu):F2} s; ratio to the 5 s limit {Median(created) / 5:P0}");

            // A realistic mix for the filters: 30 % succeeded, 5 % failed (two reasons), 2 % downloading, the rest pending.
            await using (var db = factory.CreateDbContext())
            {
                await db.DistributionTargets.Where(t => t.TaskId == taskId && t.Id % 100 < 30).ExecuteUpdateAsync(u => u.SetProperty(t => t.State, TargetState.Succeeded));
                await db.DistributionTargets.Where(t => t.TaskId == taskId && t.Id % 100 >= 30 && t.Id % 100 < 33)
                    .ExecuteUpdateAsync(u => u.SetProperty(t => t.State, TargetState.Failed).SetProperty(t => t.FailureReason, FailureReason.InsufficientStorage));
                await db.DistributionTargets.Where(t => t.TaskId == taskId && t.Id % 100 >= 33 && t.Id % 100 < 35)
                    .ExecuteUpdateAsync(u => u.SetProperty(t => t.State, TargetState.Failed).SetProperty(t => t.FailureReason, FailureReason.NetworkLost));
                await db.DistributionTargets.Where(t => t.TaskId == taskId && t.Id % 100 >= 35 && t.Id % 100 < 37)
                    .ExecuteUpdateAsync(u => u.SetProperty(t => t.State, TargetState.Downloading));
                if (db.Database.IsNpgsql())
                {
                    await db.Database.ExecuteSqlRawAsync("ANALYZE \"DistributionTargets\"");
                }
                else
                {
                    await db.Database.ExecuteSqlRawAsync("ANALYZE");
                }
            }
            Console.WriteLine($"  {"details page",-34} {"p50 ms",8} {"p95 ms",8} {"rows",6} {"total",8} {"p95/100ms",10}");
            var cases = new (string Name, Func<Task<int>> Run)[]
            {
                ("task summary (counts, waves)", async () => (await queries.GetAsync(owner, taskId)).Total),
                ("all, first page", async () => (await queries.TargetsAsync(owner, taskId, new TargetQuery())).Total),
                ("state = 成功, page 100", async () => (await queries.TargetsAsync(owner, taskId, new TargetQuery(TargetState.Succeeded, Page: 100))).Total),
                ("state = 失败", async () => (await queries.TargetsAsync(owner, taskId, new TargetQuery(TargetState.Failed))).Total),
                ("state = 失败, reason = 存储不足", async () => (await queries.TargetsAsync(owner, taskId, new TargetQuery(TargetState.Failed, "insufficient_storage"))).Total),
                ("state = 下载中", async () => (await queries.TargetsAsync(owner, taskId, new TargetQuery(TargetState.Downloading))).Total),
                ("state = 待执行, last page", async () => (await queries.TargetsAsync(owner, taskId, new TargetQuery(TargetState.Pending, Page: 3150))).Total),
                ("SN contains", async () => (await queries.TargetsAsync(owner, taskId, new TargetQuery(Sn: "0000777"))).Total),
            };
            foreach (var (name, run) in cases)
            {
                var total = await run();
                var times = new List<double>();
                for (var i = 0; i < iterations; i++)
                {
                    var sw = Stopwatch.StartNew();
                    await run();
                    times.Add(sw.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                var p95 = times[(int)(times.Count * 0.95) - 1];
                Console.WriteLine($"  {name,-34} {times[times.Count / 2],8:F1} {p95,8:F1} {20,6} {total,8:N0} {p95 / 100,10:P0}");
            }
            cleanup();
        }
    }

    // ---- rollout: throughput against a static server, then real agents

    private static async Task RolloutAsync(string[] args)
    {
        var agentsCount = Int(args, "--agents", 10_000);
        var sizes = (Arg(args, "--sizes") ?? "5,50").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var sizeAgents = Int(args, "--size-agents", 500);
        var seconds = Int(args, "--seconds", 8);
        var rounds = Int(args, "--rounds", 3);
        Console.WriteLine($"\nDistribution rollout: {Environment.ProcessorCount} cores; throughput {seconds} s × {rounds} rounds per server at 32 concurrent downloads; " +
            $"rollouts of {agentsCount:N0} agents (5 MB) and {sizeAgents:N0} agents per package size");
        Console.WriteLine($"  {"package",8} {"agents",7} {"all done s",11} {"server peak RSS MB",19} {"server CPU s",13} {"touchpoint MB/s",16} {"static MB/s",12} {"ratio (median, spread)",24}");
        var runs = new List<(int Mb, int Agents)> { (5, agentsCount) };
        runs.AddRange(sizes.Select(mb => (mb, sizeAgents)));
        foreach (var (mb, count) in runs.Distinct())
        {
            await RolloutOnceAsync(mb, count, seconds, rounds);
        }
    }

    private static async Task RolloutOnceAsync(int megabytes, int count, int seconds, int rounds)
    {
        var folder = Directory.CreateTempSubdirectory("touchpoint-dist-bench-").FullName;
        var (httpPort, mqttPort, staticPort) = (BenchServer.FreePort(), BenchServer.FreePort(), BenchServer.FreePort());
        var baseUrl = $"http://127.0.0.1:{httpPort}";
        var connection = $"Data Source={Path.Combine(folder, "touchpoint.db")}";
        var artifacts = Path.Combine(folder, "artifacts");
        using var server = BenchServer.Start(folder, baseUrl, new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Sqlite",
            ["Storage__ConnectionString"] = connection,
            ["DeviceChannel__Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
            ["DeviceChannel__BindAddress"] = "127.0.0.1",
            ["Distribution__ArtifactPath"] = artifacts,
            ["Distribution__TickSeconds"] = "0.5",
            ["Distribution__DownloadBaseUrl"] = baseUrl,
        });
        Process? staticServer = null;
        var agents = new List<DeviceAgent>();
        var mute = new List<IMqttClient>();
        using var stop = new CancellationTokenSource();
        try
        {
            await BenchServer.WaitHealthyAsync(baseUrl);
            DbContextOptions<SqliteTouchpointDb> dbOptions = new DbContextOptionsBuilder<SqliteTouchpointDb>().UseSqlite(connection).Options;
            var identities = await DeviceChannelBench.SeedAsync(() => new SqliteTouchpointDb(dbOptions), count + 32);
            var factory = new BenchDbFactory(() => new SqliteTouchpointDb(dbOptions));
            await using (var db = factory.CreateDbContext())
            {
                await db.Devices.ExecuteUpdateAsync(u => u.SetProperty(d => d.Capabilities, Touchpoint.Core.Devices.DeviceCapabilities.IotSdk)
                    .SetProperty(d => d.AndroidVersion, "11"));
            }
            // The package, content-addressed where the server keeps artifacts, and the same bytes for the static server.
            var bytes = new byte[megabytes << 20];
            RandomNumberGenerator.Fill(bytes);
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            Directory.CreateDirectory(Path.Combine(artifacts, "sha256", sha[..2]));
            await File.WriteAllBytesAsync(Path.Combine(artifacts, "sha256", sha[..2], sha), bytes);
            Directory.CreateDirectory(Path.Combine(folder, "static"));
            await File.WriteAllBytesAsync(Path.Combine(folder, "static", "package.bin"), bytes);
            bytes = [];
            long ownerId;
            string appId;
            await using (var db = factory.CreateDbContext())
            {
                ownerId = await db.Accounts.Where(a => a.LoginName == "bench-owner").Select(a => a.Id).SingleAsync();
                var app = new CatalogueApp
                {
                    AppId = "3026000000000002", Name = "压测应用", Kind = CatalogueKind.PartnerApp, OwnerId = ownerId, PackageName = "com.bench.app",
                    CertificateSha256 = new string('c', 64), CreatedAtUtc = DateTime.UtcNow,
                };
                app.Versions.Add(new AppVersion { VersionCode = 10, VersionName = "1.0.0", MinSdk = 24, ArtifactSha256 = sha, SizeBytes = megabytes << 20,
                    CertificateSha256 = app.CertificateSha256, CreatedById = ownerId, CreatedAtUtc = DateTime.UtcNow });
                db.CatalogueApps.Add(app);
                await db.SaveChangesAsync();
                appId = app.AppId;
            }
            var owner = new Actor(ownerId, AccountRole.Merchant, "压测商家");
            var service = new DistributionService(factory, new DistributionSignal(), Options.Create(new DistributionOptions()), TimeProvider.System,
                NullLogger<DistributionService>.Instance);

            // Throughput: 32 terminals that take their job's signed address and never report, so the addresses stay live.
            var urls = new System.Collections.Concurrent.ConcurrentBag<string>();
            foreach (var identity in identities.TakeLast(32))
            {
                mute.Add(await MuteAsync(mqttPort, identity, urls));
            }
            await service.CreateAsync(owner, new NewDistributionTask("吞吐量", DistributionAction.Install, [new TaskItemRequest(appId)],
                new DeviceSelection(identities.TakeLast(32).Select(i => i.Sn).ToList())), TaskSource.Console, start: true);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (urls.Count < 32 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            staticServer = StartStatic(Path.Combine(folder, "static"), $"http://127.0.0.1:{staticPort}");
            await BenchServer.WaitHealthyAsync($"http://127.0.0.1:{staticPort}");
            var ours = new List<double>();
            var theirs = new List<double>();
            var targets = urls.ToArray();
            for (var round = 0; round < rounds; round++)
            {
                theirs.Add(await ThroughputAsync(_ => $"http://127.0.0.1:{staticPort}/package.bin", seconds));
                ours.Add(await ThroughputAsync(i => targets[i % targets.Length], seconds));
            }
            var ratios = ours.Zip(theirs, (o, t) => o / t).ToList();
            staticServer.Kill(entireProcessTree: true);

            // The rollout: real agents, a 10 % first wave, then the rest.
            var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { Timeout = TimeSpan.FromMinutes(30) };
            var options = new AgentOptions
            {
                Host = "127.0.0.1", Port = mqttPort, Heartbeat = TimeSpan.FromSeconds(30), MaxBackoff = TimeSpan.FromSeconds(5), Http = http,
                StoreDownloads = false, InstallDelay = TimeSpan.FromMilliseconds(50),
            };
            agents.AddRange(identities.Take(count).Select(i => new DeviceAgent(i, options)));
            var agentRuns = agents.Select(a => Task.Run(() => a.RunAsync(stop.Token))).ToList();
            while (agents.Count(a => a.IsConnected) < count)
            {
                await Task.Delay(200);
            }
            await Task.Delay(2000); // connect telemetry written
            var cpuBefore = DeviceChannelBench.CpuSeconds(server.Id);
            var started = Stopwatch.StartNew();
            var task = await service.CreateAsync(owner, new NewDistributionTask("压测分发", DistributionAction.Install, [new TaskItemRequest(appId)],
                new DeviceSelection(identities.Take(count).Select(i => i.Sn).ToList()), new RolloutPolicy { FirstWavePercent = 10, DeviceTimeoutMinutes = 60 }),
                TaskSource.Console, start: true);
            double peak = 0;
            DistributionStatus status;
            var queries = new DistributionQueries(factory, new DeviceAccess(factory, TimeProvider.System), TimeProvider.System);
            DistributionTaskView view;
            do
            {
                await Task.Delay(500);
                peak = Math.Max(peak, DeviceChannelBench.ResidentMegabytes(server.Id));
                view = await queries.GetAsync(owner, task.Id);
                status = view.Status;
            }
            while (status is DistributionStatus.Running && started.Elapsed < TimeSpan.FromMinutes(30));
            var done = started.Elapsed.TotalSeconds;
            var cpu = DeviceChannelBench.CpuSeconds(server.Id) - cpuBefore;
            Console.WriteLine($"  {megabytes + " MB",8} {count,7:N0} {done,11:N1} {peak,19:N0} {cpu,13:N1} {Median(ours),16:N0} {Median(theirs),12:N0} " +
                $"{$"{Median(ratios):P0} ({ratios.Min():P0}–{ratios.Max():P0})",24}  [{view.StatusName}: 成功 {view.Count(TargetState.Succeeded):N0}, 失败 {view.Count(TargetState.Failed):N0}]");
            stop.Cancel();
            await Task.WhenAll(agentRuns);
        }
        finally
        {
            stop.Cancel();
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
            foreach (var client in mute)
            {
                client.Dispose();
            }
            staticServer?.Kill(entireProcessTree: true);
            server.Kill(entireProcessTree: true);
            server.WaitForExit();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>MB/s of 32 concurrent clients downloading in a loop for the given time.</summary>
    private static async Task<double> ThroughputAsync(Func<int, string> url, int seconds)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 });
        long total = 0;
        var until = DateTime.UtcNow.AddSeconds(seconds);
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async i =>
        {
            var buffer = new byte[81920];
            while (DateTime.UtcNow < until)
            {
                using var response = await http.GetAsync(url(i), HttpCompletionOption.ResponseHeadersRead);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync();
                int read;
                while ((read = await body.ReadAsync(buffer)) > 0)
                {
                    Interlocked.Add(ref total, read);
                }
            }
        }));
        return total / 1024.0 / 1024.0 / sw.Elapsed.TotalSeconds;
    }

    /// <summary>A terminal that subscribes and keeps its job's download address without running it.</summary>
    private static async Task<IMqttClient> MuteAsync(int port, AgentIdentity identity, System.Collections.Concurrent.ConcurrentBag<string> urls)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(identity.PrivateKeyPem);
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            var job = JsonSerializer.Deserialize<JobMessage>(System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload));
            if (job?.Url is { } url)
            {
                urls.Add(url);
            }
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(identity.Sn)
            .WithCredentials(identity.Sn, ConnectToken.Create(identity.Sn, key, DateTimeOffset.UtcNow)).Build());
        await client.SubscribeAsync(DeviceTopics.DownFilter(identity.Sn), MqttQualityOfServiceLevel.AtLeastOnce);
        return client;
    }

    /// <summary>The plain static-file server: this benchmark's own executable in <c>static-server</c> mode, its own process.</summary>
    private static Process StartStatic(string folder, string url)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Touchpoint.Bench.dll"), "static-server", folder, url])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Kestrel with UseStaticFiles and nothing else: the baseline a download endpoint is held against.</summary>
    public static async Task StaticServerAsync(string folder, string url)
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/healthz", () => "ok");
        app.UseStaticFiles(new Microsoft.AspNetCore.Builder.StaticFileOptions
        {
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(folder), ServeUnknownFileTypes = true,
        });
        await app.RunAsync();
    }

    private sealed class BenchDbFactory(Func<TouchpointDb> open) : IDbContextFactory<TouchpointDb>
    {
        public TouchpointDb CreateDbContext() => open();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int Int(string[] args, string name, int fallback) => Arg(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private static string? Arg(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
