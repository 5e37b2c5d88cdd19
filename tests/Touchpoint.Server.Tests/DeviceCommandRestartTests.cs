using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Device;
using Touchpoint.Server.DeviceChannel;
using Touchpoint.Server.Demo;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>A command the device received but never acknowledged survives a kill -9 of the server.</summary>
public sealed class DeviceCommandRestartTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("touchpoint-kill-cmd-").FullName;

    [Fact]
    public async Task ServerKilledMidCommandDeliversItAfterRestart()
    {
        var mqttPort = FreePorts.Next();
        var settings = new Dictionary<string, string>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(_folder, "touchpoint.db")}",
            ["Demo:Seed"] = "true",
            ["Demo:SandboxDirectory"] = Path.Combine(_folder, "demo"),
            ["DeviceChannel:Port"] = mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DeviceChannel:BindAddress"] = "127.0.0.1",
            ["DeviceChannel:FlushSeconds"] = "0.1",
        };
        var agents = JsonSerializer.Deserialize<List<JsonElement>>(await WaitForFileAsync(settings, Path.Combine(_folder, "demo", DemoAgents.FileName)))!;
        var sn = agents[0].GetProperty("sn").GetString()!;
        var privateKey = agents[0].GetProperty("private_key").GetString()!;

        long commandId;
        await using (var first = await ServerProcess.StartAsync(_folder, settings))
        {
            var owner = await first.LoginAsync(DemoAccounts.Merchant);
            // A device that takes the command off the wire but dies before acknowledging it.
            using var mute = await ConnectMuteDeviceAsync(mqttPort, sn, privateKey);
            var command = await (await owner.PostAsJsonAsync($"/api/devices/{sn}/commands", new NewCommand(CommandKind.Restart), ApiClient.Json)).ReadAsync<CommandRow>();
            commandId = command.Id;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((await owner.GetAsync<List<CommandRow>>($"/api/devices/{sn}/commands")).Single(c => c.Id == commandId).Status != CommandStatus.Sent)
            {
                Assert.True(DateTime.UtcNow < deadline, "the command was never sent");
                await Task.Delay(50);
            }
            first.Kill();
        }

        await using var second = await ServerProcess.StartAsync(_folder, settings);
        // The kill left the device recorded online; the new process knows no connection survived it.
        var owner2 = await second.LoginAsync(DemoAccounts.Merchant);
        var history = await owner2.GetAsync<List<ConnectionRow>>($"/api/devices/{sn}/connections");
        Assert.Equal((false, Touchpoint.Core.DeviceChannel.ConnectionReason.ServerRestart), (history[0].Online, history[0].Reason));
        Assert.False((await owner2.GetAsync<JsonElement>($"/api/devices/{sn}")).GetProperty("row").GetProperty("isOnline").GetBoolean());
        using var stop = new CancellationTokenSource();
        await using var agent = new DeviceAgent(new AgentIdentity(sn, privateKey), new AgentOptions
        {
            Host = "127.0.0.1", Port = mqttPort, Heartbeat = TimeSpan.FromSeconds(1), RebootDelay = TimeSpan.FromMilliseconds(300), MaxBackoff = TimeSpan.FromSeconds(2),
        });
        var run = agent.RunAsync(stop.Token);
        var client = await second.LoginAsync(DemoAccounts.Merchant);
        var until = DateTime.UtcNow.AddSeconds(30);
        CommandRow row;
        while ((row = (await client.GetAsync<List<CommandRow>>($"/api/devices/{sn}/commands")).Single(c => c.Id == commandId)).Status != CommandStatus.Succeeded)
        {
            Assert.True(DateTime.UtcNow < until, $"command is {row.Status}");
            await Task.Delay(100);
        }
        Assert.Equal(2, agent.State.BootCount);
        stop.Cancel();
        await run;
    }

    /// <summary>Runs the server once so that demo mode writes the agents' keys, then stops it.</summary>
    private async Task<string> WaitForFileAsync(Dictionary<string, string> settings, string path)
    {
        await using (await ServerProcess.StartAsync(_folder, settings))
        {
        }
        return await File.ReadAllTextAsync(path);
    }

    private static async Task<IMqttClient> ConnectMuteDeviceAsync(int port, string sn, string privateKeyPem)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(privateKeyPem);
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(sn)
            .WithCredentials(sn, ConnectToken.Create(sn, key, DateTimeOffset.UtcNow)).Build());
        await client.SubscribeAsync(DeviceTopics.DownFilter(sn), MqttQualityOfServiceLevel.AtLeastOnce);
        return client;
    }


    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
