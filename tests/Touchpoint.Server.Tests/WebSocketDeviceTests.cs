using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MQTTnet;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Device;
using Touchpoint.Server.DeviceChannel;
using Touchpoint.Server.Demo;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>MQTT over WebSocket on the web port: the same broker, the same checks, for devices that only get HTTP out.</summary>
public sealed class WebSocketDeviceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("touchpoint-ws-").FullName;

    [Fact]
    public async Task AnAgentOverWebSocketComesOnlineReportsAndRestartsWhileBadConnectsAreRefused()
    {
        await using var server = await ServerProcess.StartAsync(_folder, new Dictionary<string, string>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(_folder, "touchpoint.db")}",
            ["Demo:Seed"] = "true",
            ["Demo:SandboxDirectory"] = Path.Combine(_folder, "demo"),
            ["DeviceChannel:Port"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DeviceChannel:BindAddress"] = "127.0.0.1",
            ["DeviceChannel:FlushSeconds"] = "0.1",
        });
        var webSocket = server.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/mqtt";
        var agents = JsonSerializer.Deserialize<List<JsonElement>>(await File.ReadAllTextAsync(Path.Combine(_folder, "demo", DemoAgents.FileName)))!;
        var sn = agents[0].GetProperty("sn").GetString()!;
        var privateKey = agents[0].GetProperty("private_key").GetString()!;
        var owner = await server.LoginAsync(DemoAccounts.Merchant);

        // A plain HTTP request there is told what the path is for.
        using (var http = new HttpClient())
        {
            var plain = await http.GetAsync(server.BaseUrl + "/mqtt");
            Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
            Assert.Contains("MQTT over WebSocket", await plain.Content.ReadAsStringAsync());
        }

        // The same connect rules as on TCP: a token signed by another key opens nothing.
        using (var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        using (var client = new MqttClientFactory().CreateMqttClient())
        {
            MqttClientConnectResultCode code;
            try
            {
                code = (await client.ConnectAsync(new MqttClientOptionsBuilder()
                    .WithWebSocketServer(o => o.WithUri(webSocket)).WithClientId(sn)
                    .WithCredentials(sn, ConnectToken.Create(sn, stranger, DateTimeOffset.UtcNow)).Build())).ResultCode;
            }
            catch (MQTTnet.Adapter.MqttConnectingFailedException)
            {
                code = MqttClientConnectResultCode.NotAuthorized; // refused; the reason is in the server log
            }
            Assert.NotEqual(MqttClientConnectResultCode.Success, code);
            Assert.False(client.IsConnected);
        }

        using var stop = new CancellationTokenSource();
        await using var agent = new DeviceAgent(new AgentIdentity(sn, privateKey), new AgentOptions
        {
            Host = "127.0.0.1", WebSocketUri = webSocket, Heartbeat = TimeSpan.FromSeconds(1),
            RebootDelay = TimeSpan.FromMilliseconds(300), MaxBackoff = TimeSpan.FromSeconds(2),
            StateFolder = Path.Combine(_folder, "agent"),
        });
        var run = agent.RunAsync(stop.Token);
        // The demo device has a seeded past: its boot time and location change only when the agent's telemetry lands.
        var seededBoot = (await RowAsync(owner, sn)).LastBootAtUtc;
        await WaitAsync(async () => await RowAsync(owner, sn) is { IsOnline: true } row && row.LastBootAtUtc != seededBoot,
            "the device never came online over WebSocket with its telemetry");
        Assert.Equal(agent.State.Location, (await RowAsync(owner, sn)).LastOnlineLocation);

        var command = await (await owner.PostAsJsonAsync($"/api/devices/{sn}/commands", new NewCommand(CommandKind.Restart), ApiClient.Json)).ReadAsync<CommandRow>();
        await WaitAsync(async () => (await owner.GetAsync<List<CommandRow>>($"/api/devices/{sn}/commands")).Single(c => c.Id == command.Id).Status == CommandStatus.Succeeded,
            "the restart never succeeded over WebSocket");
        Assert.Equal(2, agent.State.BootCount);
        stop.Cancel();
        await run;
        await WaitAsync(async () => !(await RowAsync(owner, sn)).IsOnline, "the device never went offline");
    }

    private static async Task<DeviceRow> RowAsync(HttpClient owner, string sn) =>
        (await owner.GetAsync<JsonElement>($"/api/devices/{sn}")).GetProperty("row").Deserialize<DeviceRow>(ApiClient.Json)!;

    private static async Task WaitAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
