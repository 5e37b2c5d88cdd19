using System.Globalization;
using System.Text.Json;
using Touchpoint.Device;

// touchpoint-device: plays payment terminals over MQTT.
//   --server 127.0.0.1:1883        the platform's device endpoint: host:port for MQTT over TCP, or
//                                  ws://host:5080/mqtt for MQTT over WebSocket on the web port
//   --credentials agents.json      [{"sn": "...", "private_key": "-----BEGIN PRIVATE KEY-----..."}] (console: 签发设备密钥)
//   --fleet N                      run the first N identities of the file in this process (default: all)
//   --state data/agents            where each terminal keeps its state between runs
//   --heartbeat 30                 seconds between heartbeats
//   --auth token|password          token for Touchpoint's embedded broker (default), password for an external one
//   --tls                          MQTTS (TLS; the embedded broker listens on 8883 when DeviceChannel:TlsCertificatePath is set)
//   --ca server.crt                with --tls: trust this certificate (the server's or its CA's) instead of the system roots
//   --fail-install 5%              fleet testing: this share of installs fails (INSTALL_FAILED_INTERNAL_ERROR)
//   --drop-downloads 10%           fleet testing: this share of downloads drops midway once and resumes with a range request
//   --download-kbps 512            fleet testing: cap each terminal's download speed
//   --shoppers shoppers.json       demo: simulated members pay by face at random connected terminals (needs --web)
//   --web http://127.0.0.1:5080    the platform's web address, for the runtime API the shoppers use
//   --pay-every 30                 demo: seconds between visits, on average (default 30)
var server = Arg("--server") ?? "127.0.0.1:1883";
var credentialsPath = Arg("--credentials") ?? throw new ArgumentException("--credentials <file> is required");
var heartbeat = double.Parse(Arg("--heartbeat") ?? "30", CultureInfo.InvariantCulture);
var identities = JsonSerializer.Deserialize<List<Credential>>(File.ReadAllText(credentialsPath))!
    .Select(c => new AgentIdentity(c.sn, c.private_key)).ToList();
if (Arg("--fleet") is { } fleet)
{
    identities = identities.Take(int.Parse(fleet, CultureInfo.InvariantCulture)).ToList();
}
var (host, port) = (server.Split(':')[0], int.Parse(server.Split(':')[1], CultureInfo.InvariantCulture));
var auth = Arg("--auth") switch
{
    null or "token" => AgentAuth.Token,
    "password" => AgentAuth.Password,
    var other => throw new ArgumentException($"--auth {other}: expected token or password"),
};
// One HTTP client for the whole fleet: downloads share its connection pool.
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    Timeout = TimeSpan.FromMinutes(30),
};
var options = new AgentOptions
{
    Host = host, Port = port, Heartbeat = TimeSpan.FromSeconds(heartbeat), StateFolder = Arg("--state"), Auth = auth,
    UseTls = args.Contains("--tls"), TrustedCertificatePath = Arg("--ca"), Http = http,
    FailInstallRate = Rate(Arg("--fail-install")), DropDownloadRate = Rate(Arg("--drop-downloads")),
    DownloadBytesPerSecond = Arg("--download-kbps") is { } kbps ? long.Parse(kbps, CultureInfo.InvariantCulture) * 1024 : 0,
    DownloadFolder = Arg("--state") is { } state ? Path.Combine(state, "downloads") : null,
};

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
var agents = identities.Select(i => new DeviceAgent(i, options)).ToList();
Console.WriteLine($"touchpoint-device: {agents.Count} terminal(s) → {server}");
var runs = agents.Select(a => a.RunAsync(stop.Token)).ToList();
_ = Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        await Task.Delay(TimeSpan.FromSeconds(10), stop.Token).ContinueWith(_ => { });
        Console.WriteLine($"{DateTime.Now:HH:mm:ss} online {agents.Count(a => a.IsConnected)}/{agents.Count}" +
            (agents.FirstOrDefault(a => a.LastError is not null) is { } failing ? $"; last error ({failing.Sn}): {failing.LastError}" : ""));
    }
});
if (Arg("--shoppers") is { } shoppersPath && Arg("--pay-every") is not "0")
{
    var web = new Uri(Arg("--web") ?? throw new ArgumentException("--shoppers needs --web <platform address>"));
    var shoppers = JsonSerializer.Deserialize<List<Shopper>>(File.ReadAllText(shoppersPath)) ?? [];
    var every = TimeSpan.FromSeconds(double.Parse(Arg("--pay-every") ?? "30", CultureInfo.InvariantCulture));
    if (every < TimeSpan.FromSeconds(1))
    {
        throw new ArgumentException("--pay-every: at least 1 second between visits (0 turns the shoppers off)");
    }
    var runtime = new HttpClient { BaseAddress = web, Timeout = TimeSpan.FromSeconds(30) };
    Console.WriteLine($"touchpoint-device: {shoppers.Count} shopper(s) visit about every {every.TotalSeconds:0} s");
    runs.Add(new Shoppers(agents, shoppers, runtime, every, Console.Out).RunAsync(stop.Token));
}
await Task.WhenAll(runs);
foreach (var agent in agents)
{
    await agent.DisposeAsync();
}

// "5%" or "0.05".
static double Rate(string? text) => text is null ? 0
    : text.EndsWith('%') ? double.Parse(text[..^1], CultureInfo.InvariantCulture) / 100 : double.Parse(text, CultureInfo.InvariantCulture);

string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

internal sealed record Credential(string sn, string private_key);
