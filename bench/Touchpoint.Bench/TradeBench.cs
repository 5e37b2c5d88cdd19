using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Touchpoint.Sdk;

namespace Touchpoint.Bench;

/// <summary>
/// alipay.trade.pay end to end (issue 12): each call verifies the request, checks the terminal's 收款 permission, claims
/// its out_trade_no, uses its payment code, debits the member, records the announcement, stages the trade_status_sync
/// (signed by the outbox worker when it first sends it), and signs the answer. The figure is a ratio of CPU time: the server's CPU seconds per call against
/// openssl's CPU seconds per RSA-2048 sign+verify (the floor of any signed gateway call), measured in the same round.
/// Every call is distinct (its own out_trade_no and single-use payment code), signed before the round starts, and sent
/// by a client in this process; the client's CPU is not the server's and does not count.
/// </summary>
public static class TradeBench
{
    public static async Task RunAsync(string[] args)
    {
        var calls = BenchArgs.Int(args, "--calls", 8000);
        var concurrency = BenchArgs.Int(args, "--concurrency", 32);
        var rounds = BenchArgs.Int(args, "--rounds", 5);
        Console.WriteLine($"Touchpoint trade.pay benchmark: {Environment.ProcessorCount} cores, {calls} calls × {rounds} rounds, {concurrency} in flight");

        var folder = Directory.CreateTempSubdirectory("touchpoint-trade-bench-").FullName;
        var port = BenchServer.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var database = Path.Combine(folder, "touchpoint.db");
        using var server = BenchServer.Start(folder, baseUrl, new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Sqlite",
            ["Storage__ConnectionString"] = $"Data Source={database}",
            ["Storage__SqliteSynchronous"] = BenchArgs.Text(args, "--synchronous", "Full"),
            ["Demo__Seed"] = "true",
            ["Demo__Agents"] = "0",
            ["Demo__SandboxDirectory"] = Path.Combine(folder, "demo"),
            ["DeviceChannel__Enabled"] = "false",
            // Staged, not sent: delivery is the outbox worker's, measured by the notification tests, not here.
            ["Notifications__Enabled"] = "false",
            ["DOTNET_gcServer"] = Environment.GetEnvironmentVariable("BENCH_GC_SERVER") ?? "1",
            ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = Environment.GetEnvironmentVariable("BENCH_SPIN") ?? "70",
        });
        try
        {
            await BenchServer.WaitHealthyAsync(baseUrl);
            var sandbox = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "demo", "sandbox-app.json"))).RootElement;
            var appId = sandbox.GetProperty("app_id").GetString()!;
            var (memberId, terminal) = Facts(database, appId);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency });
            using var client = new OpenApiClient(http, new OpenApiClientOptions
            {
                Gateway = new Uri($"{baseUrl}/gateway.do"), AppId = appId,
                PrivateKey = sandbox.GetProperty("private_key").GetString()!, PlatformPublicKey = sandbox.GetProperty("platform_public_key").GetString()!,
            });

            await RoundAsync(client, http, baseUrl, database, memberId, terminal, calls, concurrency, "warm", serverPid: null); // steady state: tiered JIT, pools, the page cache
            var ratios = new List<double>();
            var rates = new List<double>();
            for (var round = 1; round <= rounds; round++)
            {
                var floor = ServerCpu.OpenSslSignVerifySeconds();
                var (cpuPerCall, rate, failures) = await RoundAsync(client, http, baseUrl, database, memberId, terminal, calls, concurrency, $"r{round}", server.Id);
                ratios.Add(floor / cpuPerCall);
                rates.Add(rate);
                Console.WriteLine($"  round {round}: openssl {floor * 1000:F3} CPU ms per sign+verify; trade.pay {cpuPerCall * 1000:F3} server CPU ms per call, " +
                    $"{rate:N0} calls/s wall, {failures} not 10000; ratio {floor / cpuPerCall:P1}");
            }
            var (median, low, high) = ServerCpu.Spread(ratios);
            var (rateMedian, rateLow, rateHigh) = ServerCpu.Spread(rates);
            Console.WriteLine($"  ratio to the RSA-2048 sign+verify cost (CPU time): median {median:P1}, spread {low:P1}–{high:P1} (target ≥ 50 %)");
            Console.WriteLine($"  wall-clock calls/s (shares the cores with the client): median {rateMedian:N0}, spread {rateLow:N0}–{rateHigh:N0}");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit();
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The demo member who pays, and a terminal of the sandbox app's merchant (the trade's seller).</summary>
    private static (long MemberId, string Terminal) Facts(string database, string appId)
    {
        using var db = new SqliteConnection($"Data Source={database}");
        db.Open();
        using var member = db.CreateCommand();
        member.CommandText = "SELECT Id FROM Members WHERE UserId = '2088101117955611'";
        var memberId = (long)member.ExecuteScalar()!;
        using var device = db.CreateCommand();
        device.CommandText = "SELECT d.Sn FROM Devices d JOIN DeveloperApps a ON a.OwnerId = d.OwnerId WHERE a.AppId = $app ORDER BY d.Id LIMIT 1";
        device.Parameters.AddWithValue("$app", appId);
        // Plenty to pay with: the round debits 0.01 a call.
        using var fund = db.CreateCommand();
        fund.CommandText = "UPDATE FundingSources SET BalanceCents = 100000000000 WHERE MemberId = $m";
        fund.Parameters.AddWithValue("$m", memberId);
        fund.ExecuteNonQuery();
        return (memberId, (string)device.ExecuteScalar()!);
    }

    private static async Task<(double CpuPerCall, double Rate, int Failures)> RoundAsync(OpenApiClient client, HttpClient http, string baseUrl, string database,
        long memberId, string terminal, int calls, int concurrency, string tag, int? serverPid)
    {
        // Payment codes as the client app would have shown them, written straight into the table (hashes only).
        var codes = Enumerable.Range(0, calls).Select(i => "28" + RandomNumberGenerator.GetInt32(10_000_000, 99_999_999) + RandomNumberGenerator.GetInt32(10_000_000, 99_999_999)).ToArray();
        using (var db = new SqliteConnection($"Data Source={database};Default Timeout=60"))
        {
            db.Open();
            using var tx = db.BeginTransaction();
            using var insert = db.CreateCommand();
            insert.CommandText = "INSERT INTO PaymentCodes (CodeHash, MemberId, IssuedAtUtc, ExpiresAtUtc) VALUES ($h, $m, $i, $e)";
            var hash = insert.Parameters.Add("$h", SqliteType.Text);
            insert.Parameters.AddWithValue("$m", memberId);
            insert.Parameters.AddWithValue("$i", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF"));
            insert.Parameters.AddWithValue("$e", DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF"));
            foreach (var code in codes)
            {
                hash.Value = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }
        var run = Guid.NewGuid().ToString("N")[..8];
        var bodies = new string[calls];
        Parallel.For(0, calls, i =>
        {
            var parameters = client.BuildSignedParameters("alipay.trade.pay", JsonSerializer.Serialize(new
            {
                out_trade_no = $"B{tag}{run}{i}", scene = "bar_code", auth_code = codes[i], total_amount = "0.01", subject = "基准测试",
                terminal_id = terminal, notify_url = "https://merchant.example.com/alipay/notify",
            }));
            bodies[i] = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        });

        var failures = 0;
        var next = -1;
        var cpuBefore = serverPid is { } p0 ? ServerCpu.Seconds(p0) : 0;
        var sysBefore = serverPid is { } s0 ? ServerCpu.UserAndSystem(s0).System : 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < calls)
            {
                using var content = new StringContent(bodies[i], Encoding.UTF8, "application/x-www-form-urlencoded");
                using var response = await http.PostAsync($"{baseUrl}/gateway.do", content);
                var text = await response.Content.ReadAsStringAsync();
                if (!text.Contains("\"code\":\"10000\"", StringComparison.Ordinal))
                {
                    if (Interlocked.Increment(ref failures) == 1)
                    {
                        Console.WriteLine("  first failure: " + text[..Math.Min(300, text.Length)]);
                    }
                }
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = serverPid is { } p1 ? ServerCpu.Seconds(p1) - cpuBefore : 0;
        if (serverPid is { } s1)
        {
            Console.WriteLine($"    server CPU {cpu:F1} s, of which kernel {ServerCpu.UserAndSystem(s1).System - sysBefore:F1} s");
        }
        return (cpu / calls, calls / elapsed, failures);
    }


}
