using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Touchpoint.Sdk;

namespace Touchpoint.Bench;

/// <summary>
/// Signed gateway calls per second against the machine's own RSA-2048 limit (issue 4). The server runs as its own
/// Release process on SQLite with the demo sandbox app; wrk replays one pre-signed alipay.open.mini.baseinfo.query
/// (the v2 protocol has no nonce, so a signed request stays valid for the timestamp window), so each call costs the
/// server one verify and one sign, and the client spends no RSA at all. The limit is `openssl speed -multi N rsa2048`:
/// calls/s = 1 / (1/sign + 1/verify) over all cores.
/// </summary>
public static partial class GatewayBench
{
    public static async Task RunAsync(string[] args)
    {
        var seconds = BenchArgs.Int(args, "--seconds", 20);
        var connections = BenchArgs.Int(args, "--connections", 64);
        // Each round measures the limit and the gateway back to back, so machine drift moves both; the ratio's median
        // and spread over the rounds are the figures.
        var rounds = BenchArgs.Int(args, "--rounds", 3);
        // --bad-signature measures the refusal path instead: verify fails, the error answer is still signed.
        var cores = Environment.ProcessorCount;
        Console.WriteLine($"Touchpoint gateway benchmark: {cores} cores, wrk {connections} connections, {seconds} s × {rounds} rounds");

        var folder = Directory.CreateTempSubdirectory("touchpoint-gateway-bench-").FullName;
        var port = BenchServer.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        using var server = BenchServer.Start(folder, baseUrl, new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Sqlite",
            ["Storage__ConnectionString"] = $"Data Source={Path.Combine(folder, "touchpoint.db")}",
            ["Demo__Seed"] = "true",
            ["Demo__SandboxDirectory"] = Path.Combine(folder, "demo"),
            ["DeviceChannel__Enabled"] = "false",
            ["DOTNET_gcServer"] = "1",
        });
        try
        {
            await BenchServer.WaitHealthyAsync(baseUrl);
            var sandbox = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "demo", "sandbox-app.json"))).RootElement;
            var body = await SignedBodyAsync(sandbox, baseUrl, args.Contains("--bad-signature"));
            var script = Path.Combine(folder, "post.lua");
            await File.WriteAllTextAsync(script,
                $"wrk.method = \"POST\"\nwrk.body = \"{body}\"\nwrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded;charset=utf-8\"\n");

            Wrk(baseUrl, script, connections, 5); // warm-up: JIT, tiered compilation, connection pools
            var ratios = new List<double>();
            var cpuRatios = new List<double>();
            for (var round = 1; round <= rounds; round++)
            {
                var (sign, verify) = OpenSslSpeed(cores);
                var limit = 1 / (1 / sign + 1 / verify);
                var floor = ServerCpu.OpenSslSignVerifySeconds();
                var cpuBefore = ServerCpu.Seconds(server.Id);
                var (rate, p50, p99, errors, requests) = Wrk(baseUrl, script, connections, seconds);
                var cpuPerCall = (ServerCpu.Seconds(server.Id) - cpuBefore) / requests;
                ratios.Add(rate / limit);
                cpuRatios.Add(floor / cpuPerCall);
                Console.WriteLine($"  round {round}: openssl {sign:N0} sign/s, {verify:N0} verify/s → limit {limit:N0} calls/s; " +
                    $"gateway {rate:N0} calls/s, p50 {p50} p99 {p99}, errors {errors}; ratio {rate / limit:P1}; " +
                    $"CPU: {floor * 1000:F3} ms per sign+verify, server {cpuPerCall * 1000:F3} ms per call, ratio {floor / cpuPerCall:P1}");
            }
            var (median, low, high) = ServerCpu.Spread(ratios);
            var (cpuMedian, cpuLow, cpuHigh) = ServerCpu.Spread(cpuRatios);
            Console.WriteLine($"  ratio to the RSA-2048 limit (wall clock, wrk on the same cores): median {median:P1}, spread {low:P1}–{high:P1} (target ≥ 70 %)");
            Console.WriteLine($"  ratio of CPU time (openssl sign+verify / server CPU per call): median {cpuMedian:P1}, spread {cpuLow:P1}–{cpuHigh:P1}");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>One signed request and a check that the server answers it with code 10000 and a valid signature.</summary>
    private static async Task<string> SignedBodyAsync(JsonElement sandbox, string baseUrl, bool badSignature)
    {
        using var http = new HttpClient();
        using var client = new OpenApiClient(http, new OpenApiClientOptions
        {
            Gateway = new Uri($"{baseUrl}/gateway.do"),
            AppId = sandbox.GetProperty("app_id").GetString()!,
            PrivateKey = sandbox.GetProperty("private_key").GetString()!,
            PlatformPublicKey = sandbox.GetProperty("platform_public_key").GetString()!,
        });
        const string method = "alipay.open.mini.baseinfo.query";
        var parameters = client.BuildSignedParameters(method, "{}");
        if (badSignature)
        {
            parameters = parameters.Select(p => p.Key == "biz_content" ? new KeyValuePair<string, string>(p.Key, "{\"x\":1}") : p).ToList();
        }
        var form = new FormUrlEncodedContent(parameters);
        var body = await form.ReadAsStringAsync();
        var answer = await (await http.PostAsync($"{baseUrl}/gateway.do", new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"))).Content.ReadAsStringAsync();
        var verified = client.Verify(method, answer);
        if (!verified.IsSuccess && !badSignature)
        {
            throw new InvalidOperationException("The benchmark request is refused: " + answer);
        }
        return body;
    }

    private static (double Sign, double Verify) OpenSslSpeed(int cores)
    {
        var output = BenchArgs.Run("openssl", $"speed -seconds 5 -multi {cores} rsa2048");
        var match = RsaLine().Match(output);
        if (!match.Success)
        {
            throw new InvalidOperationException("Could not read `openssl speed` output:\n" + output);
        }
        return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private static (double Rate, string P50, string P99, int Errors, long Requests) Wrk(string baseUrl, string script, int connections, int seconds)
    {
        var output = BenchArgs.Run("wrk", $"-t 1 -c {connections} -d {seconds}s --latency -s {script} {baseUrl}/gateway.do");
        var rate = double.Parse(Regex.Match(output, @"Requests/sec:\s+([\d.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var p50 = Regex.Match(output, @"^\s+50%\s+(\S+)", RegexOptions.Multiline).Groups[1].Value;
        var p99 = Regex.Match(output, @"^\s+99%\s+(\S+)", RegexOptions.Multiline).Groups[1].Value;
        var non2xx = Regex.Match(output, @"Non-2xx or 3xx responses: (\d+)");
        var socket = Regex.Match(output, @"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)");
        var errors = (non2xx.Success ? int.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0)
            + (socket.Success ? Enumerable.Range(1, 4).Sum(i => int.Parse(socket.Groups[i].Value, CultureInfo.InvariantCulture)) : 0);
        var requests = long.Parse(Regex.Match(output, @"(\d+) requests in").Groups[1].Value, CultureInfo.InvariantCulture);
        return (rate, p50, p99, errors, requests);
    }






    [GeneratedRegex(@"rsa\s+2048 bits\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)\s+([\d.]+)")]
    private static partial Regex RsaLine();
}
