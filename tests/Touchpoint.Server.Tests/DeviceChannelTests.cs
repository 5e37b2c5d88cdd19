using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Device;
using Touchpoint.Server.DeviceChannel;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>Real MQTT over loopback: agents connect with their keys, report, and break no one else when they misbehave.</summary>
public abstract class DeviceChannelTests(TouchpointFactory factory)
{
    [Fact]
    public async Task AgentConnectsReportsAndAppearsOnlineWithItsTelemetryThenOffline()
    {
        var (owner, sn, identity) = await NewDeviceAsync();
        using var stop = new CancellationTokenSource();
        await using var agent = new DeviceAgent(identity, Options());
        var run = agent.RunAsync(stop.Token);

        // Online comes with the connect, the rest with the telemetry: possibly in two different flushes.
        var row = await WaitForAsync(owner, sn, r => r.IsOnline && r.LastBootAtUtc is not null);
        Assert.Equal(agent.State.AndroidVersion, row.AndroidVersion);
        Assert.Equal(agent.State.Location, row.LastOnlineLocation);
        Assert.Contains("支付宝IoT服务 3.2.7", row.Apps);
        Assert.Equal(agent.State.BootAt.UtcDateTime, row.LastBootAtUtc!.Value, TimeSpan.FromSeconds(1));

        stop.Cancel();
        await run;
        await WaitForAsync(owner, sn, r => !r.IsOnline);
        var history = await owner.Client.GetAsync<List<ConnectionRow>>($"/api/devices/{sn}/connections");
        Assert.Equal([false, true], history.Select(h => h.Online).ToArray());
    }

    [Fact]
    public async Task UnknownUnsignedReplayedAndRevokedConnectsAreRefused()
    {
        var (owner, sn, identity) = await NewDeviceAsync();
        using var key = ECDsa.Create();
        key.ImportFromPem(identity.PrivateKeyPem);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (factory.AgentAuth == AgentAuth.Password)
        {
            // An external broker compares passwords: the one derived from the device key, and only that one.
            Assert.NotEqual(MqttClientConnectResultCode.Success, await ConnectAsync("UNKNOWN0000001", BrokerPassword.Derive(key, "UNKNOWN0000001")));
            Assert.NotEqual(MqttClientConnectResultCode.Success, await ConnectAsync(sn, BrokerPassword.Derive(stranger, sn)));
            Assert.NotEqual(MqttClientConnectResultCode.Success, await ConnectAsync(sn, ConnectToken.Create(sn, key, DateTimeOffset.UtcNow)));
            Assert.Equal(MqttClientConnectResultCode.Success, await ConnectAsync(sn, BrokerPassword.Derive(key, sn)));
        }
        else
        {
            Assert.NotEqual(MqttClientConnectResultCode.Success, await ConnectAsync("UNKNOWN0000001", ConnectToken.Create("UNKNOWN0000001", key, DateTimeOffset.UtcNow)));
            Assert.NotEqual(MqttClientConnectResultCode.Success, await ConnectAsync(sn, "not-signed"));
            Assert.NotEqual(MqttClientConnectResultCode.Success, await ConnectAsync(sn, ConnectToken.Create(sn, key, DateTimeOffset.UtcNow.AddMinutes(-10))));
            Assert.NotEqual(MqttClientConnectResultCode.Success, await ConnectAsync(sn, ConnectToken.Create(sn, stranger, DateTimeOffset.UtcNow)));

            var token = ConnectToken.Create(sn, key, DateTimeOffset.UtcNow);
            Assert.Equal(MqttClientConnectResultCode.Success, await ConnectAsync(sn, token));
            Assert.NotEqual(MqttClientConnectResultCode.Success, await ConnectAsync(sn, token)); // replayed
        }

        // A device connected with the old key is dropped when a new one is issued, and the old key opens nothing.
        using var stop = new CancellationTokenSource();
        await using var agent = new DeviceAgent(identity, Options());
        var run = agent.RunAsync(stop.Token);
        await WaitForAsync(owner, sn, r => r.IsOnline);
        await owner.Client.PostAsync<IssuedCredential>($"/api/devices/{sn}/credential", new { }); // the old key is revoked
        await WaitUntilAsync(() => !agent.IsConnected);
        await Task.Delay(TimeSpan.FromSeconds(3)); // its retries (backoff ≤ 2 s) all fail
        Assert.False(agent.IsConnected);
        Assert.True(agent.Failures > 0);
        stop.Cancel();
        await run;
        var oldPassword = factory.AgentAuth == AgentAuth.Password ? BrokerPassword.Derive(key, sn) : ConnectToken.Create(sn, key, DateTimeOffset.UtcNow);
        Assert.NotEqual(MqttClientConnectResultCode.Success, await ConnectAsync(sn, oldPassword));
    }

    [Fact]
    public async Task ADevicePublishingAsAnotherOrSendingGarbageIsClosedAndNobodyElseNotices()
    {
        var (owner, snA, a) = await NewDeviceAsync();
        var (_, snB, b) = await NewDeviceAsync(owner);
        using var stop = new CancellationTokenSource();
        await using var agentA = new DeviceAgent(a, Options());
        await using var agentB = new DeviceAgent(b, Options());
        var runs = new[] { agentA.RunAsync(stop.Token), agentB.RunAsync(stop.Token) };
        await WaitForAsync(owner, snA, r => r.IsOnline);
        var before = await WaitForAsync(owner, snB, r => r.IsOnline && r.LastBootAtUtc is not null);

        var forged = JsonSerializer.SerializeToUtf8Bytes(new Telemetry { AndroidVersion = "99", Location = "伪造的位置" });
        await FaultyPublishAsync(agentA, DeviceTopics.Up(snB, UplinkKind.Telemetry), forged);
        if (factory.AgentAuth == AgentAuth.Token)
        {
            await WaitUntilAsync(() => !agentA.IsConnected); // the embedded broker closes the offender
        }
        else
        {
            // mosquitto's ACL drops the message before anyone sees it (MQTT 3.1.1 has no way to say so).
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        Assert.True(agentB.IsConnected);

        await WaitUntilAsync(() => agentA.IsConnected, TimeSpan.FromSeconds(20)); // A reconnects by itself
        await FaultyPublishAsync(agentA, DeviceTopics.Up(snA, UplinkKind.Telemetry), "{not json"u8.ToArray());
        await WaitUntilAsync(() => !agentA.IsConnected);
        await WaitUntilAsync(() => agentA.IsConnected, TimeSpan.FromSeconds(20));
        await FaultyPublishAsync(agentA, DeviceTopics.Up(snA, UplinkKind.Telemetry), new byte[DeviceTopics.MaxPayloadBytes + 1]);
        await WaitUntilAsync(() => !agentA.IsConnected);

        Assert.True(agentB.IsConnected);
        var after = (await owner.Client.GetAsync<JsonElement>($"/api/devices/{snB}")).GetProperty("row");
        Assert.Equal(before.AndroidVersion, after.GetProperty("androidVersion").GetString());
        Assert.Equal(before.LastOnlineLocation, after.GetProperty("lastOnlineLocation").GetString());
        stop.Cancel();
        await Task.WhenAll(runs);
    }

    [Fact]
    public async Task AKeyIsIssuedByTheOwnerNeverByAStrangerTheOperatorOrTheMakerOfASoldDevice()
    {
        var (_, sn, _) = await NewDeviceAsync();
        var stranger = await factory.NewAccountAsync(AccountRole.Merchant);
        var response = await stranger.Client.PostAsJsonAsync($"/api/devices/{sn}/credential", new { });
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        var maker = await factory.LoginAsync(Touchpoint.Server.Demo.DemoAccounts.Manufacturer);
        Assert.Equal($"设备 {sn} 已交付所有者，厂商不能再签发设备密钥；请联系设备所有者",
            await (await maker.PostAsJsonAsync($"/api/devices/{sn}/credential", new { })).ProblemAsync(System.Net.HttpStatusCode.Forbidden));
        var op = await factory.OperatorAsync();
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await op.PostAsJsonAsync($"/api/devices/{sn}/credential", new { })).StatusCode);
    }

    /// <summary>The broker answers a rule-breaking publish by closing the connection, so the PUBACK never comes.</summary>
    private static async Task FaultyPublishAsync(DeviceAgent agent, string topic, byte[] payload)
    {
        try
        {
            await agent.PublishRawAsync(topic, payload, CancellationToken.None);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
        }
    }

    private AgentOptions Options() => DeviceChannelScenario.Options(factory);

    private Task<(TestAccount Owner, string Sn, AgentIdentity Identity)> NewDeviceAsync(TestAccount? owner = null) =>
        DeviceChannelScenario.NewDeviceAsync(factory, owner);

    private async Task<MqttClientConnectResultCode> ConnectAsync(string sn, string password)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", factory.MqttPort).WithClientId(sn).WithCredentials(sn, password).Build();
        try
        {
            var result = await client.ConnectAsync(options);
            return result.ResultCode;
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException)
        {
            return MqttClientConnectResultCode.NotAuthorized; // refused; the reason is in the server log
        }
    }

    private static Task<DeviceRow> WaitForAsync(TestAccount owner, string sn, Func<DeviceRow, bool> condition) =>
        DeviceChannelScenario.WaitForAsync(owner, sn, condition);

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null) => DeviceChannelScenario.WaitUntilAsync(condition, timeout);
}

public sealed class SqliteDeviceChannelTests(SqliteFactory f) : DeviceChannelTests(f), IClassFixture<SqliteFactory>;
public sealed class PostgresDeviceChannelTests(PostgresFactory f) : DeviceChannelTests(f), IClassFixture<PostgresFactory>;

/// <summary>Remote restart and factory reset: persisted, delivered when the device is there, executed for real.</summary>
public abstract class DeviceCommandTests(TouchpointFactory factory)
{
    [Fact]
    public async Task RestartGivesTheDeviceANewBootTimeAndTheCommandSucceeds()
    {
        var (owner, sn, identity) = await DeviceChannelScenario.NewDeviceAsync(factory);
        using var stop = new CancellationTokenSource();
        await using var agent = new DeviceAgent(identity, DeviceChannelScenario.Options(factory));
        var run = agent.RunAsync(stop.Token);
        var before = await DeviceChannelScenario.WaitForAsync(owner, sn, r => r.IsOnline && r.LastBootAtUtc is not null);

        var command = await owner.Client.PostAsync<CommandRow>($"/api/devices/{sn}/commands", new NewCommand(CommandKind.Restart));
        var done = await WaitCommandAsync(owner, sn, command.Id, CommandStatus.Succeeded);
        Assert.Equal("已重启", done.Result);
        Assert.NotNull(done.AcknowledgedAtUtc);
        var after = await DeviceChannelScenario.WaitForAsync(owner, sn, r => r.IsOnline && r.LastBootAtUtc > before.LastBootAtUtc);
        Assert.Equal(2, agent.State.BootCount);
        var history = await owner.Client.GetAsync<List<ConnectionRow>>($"/api/devices/{sn}/connections");
        Assert.Equal([true, false, true], history.Select(h => h.Online).Take(3).ToArray()); // newest first: back, down, up
        stop.Cancel();
        await run;
    }

    [Fact]
    public async Task ACommandArrivingDuringARebootRunsAfterItAndEachReportsItsOwnResult()
    {
        var (owner, sn, identity) = await DeviceChannelScenario.NewDeviceAsync(factory);
        using var stop = new CancellationTokenSource();
        // A long reboot, so that the second command surely arrives while the terminal is down or going down.
        await using var agent = new DeviceAgent(identity, DeviceChannelScenario.Options(factory) with { RebootDelay = TimeSpan.FromSeconds(4) });
        var run = agent.RunAsync(stop.Token);
        await DeviceChannelScenario.WaitForAsync(owner, sn, r => r.IsOnline);

        var restart = await owner.Client.PostAsync<CommandRow>($"/api/devices/{sn}/commands", new NewCommand(CommandKind.Restart));
        await WaitCommandAsync(owner, sn, restart.Id, c => c.AcknowledgedAtUtc is not null, "acknowledged");
        // Asked for while the terminal goes down: it must neither be lost nor take the restart's result.
        var reset = await owner.Client.PostAsync<CommandRow>($"/api/devices/{sn}/commands", new NewCommand(CommandKind.FactoryReset));
        var restarted = await WaitCommandAsync(owner, sn, restart.Id, CommandStatus.Succeeded);
        Assert.Equal("已重启", restarted.Result);
        Assert.True(reset.CreatedAtUtc < restarted.CompletedAtUtc, "the reset was asked for after the reboot had ended: nothing was tested");
        Assert.Equal("已恢复出厂设置并重启", (await WaitCommandAsync(owner, sn, reset.Id, CommandStatus.Succeeded)).Result);
        Assert.Equal(3, agent.State.BootCount);
        stop.Cancel();
        await run;
    }

    [Fact]
    public async Task ACommandForAnOfflineDeviceWaitsAndRunsWhenItConnects()
    {
        var (owner, sn, identity) = await DeviceChannelScenario.NewDeviceAsync(factory);
        var command = await owner.Client.PostAsync<CommandRow>($"/api/devices/{sn}/commands", new NewCommand(CommandKind.FactoryReset));
        Assert.Equal(CommandStatus.Pending, command.Status);
        var again = await owner.Client.PostAsJsonAsync($"/api/devices/{sn}/commands", new NewCommand(CommandKind.FactoryReset), ApiClient.Json);
        Assert.Equal($"设备 {sn} 已有未完成的恢复出厂设置指令", await again.ProblemAsync(System.Net.HttpStatusCode.Conflict));

        using var stop = new CancellationTokenSource();
        await using var agent = new DeviceAgent(identity, DeviceChannelScenario.Options(factory));
        var run = agent.RunAsync(stop.Token);
        var done = await WaitCommandAsync(owner, sn, command.Id, CommandStatus.Succeeded);
        Assert.Equal("已恢复出厂设置并重启", done.Result);
        var row = await DeviceChannelScenario.WaitForAsync(owner, sn, r => r.IsOnline && r.Apps.StartsWith("IoT桌面 2.1.0；支付宝IoT服务 3.2.7；系统 Android ", StringComparison.Ordinal));
        Assert.Equal(identity.Sn, agent.State.Sn); // the identity survives the reset
        stop.Cancel();
        await run;
    }

    [Fact]
    public async Task AGranteeNeedsRemoteManagement()
    {
        var (owner, sn, _) = await DeviceChannelScenario.NewDeviceAsync(factory);
        var poster = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        var admin = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        await owner.Client.PostAsync<Touchpoint.Server.Grants.GrantSummary>("/api/grants",
            new Touchpoint.Server.Grants.NewGrant(null, poster.Login, [sn], Touchpoint.Core.Grants.GrantPermissions.Poster));
        await owner.Client.PostAsync<Touchpoint.Server.Grants.GrantSummary>("/api/grants",
            new Touchpoint.Server.Grants.NewGrant(null, admin.Login, [sn], Touchpoint.Core.Grants.GrantPermissions.RemoteManagement));
        var refused = await poster.Client.PostAsJsonAsync($"/api/devices/{sn}/commands", new NewCommand(CommandKind.Restart), ApiClient.Json);
        Assert.Equal($"您没有设备 {sn} 的“远程管理”权限", await refused.ProblemAsync(System.Net.HttpStatusCode.Forbidden));
        var accepted = await admin.Client.PostAsync<CommandRow>($"/api/devices/{sn}/commands", new NewCommand(CommandKind.Restart));
        Assert.Equal(CommandStatus.Pending, accepted.Status);
    }

    [Fact]
    public async Task ACommandTheDeviceNeverTakesExpires()
    {
        var (owner, sn, _) = await DeviceChannelScenario.NewDeviceAsync(factory);
        var command = await owner.Client.PostAsync<CommandRow>($"/api/devices/{sn}/commands", new NewCommand(CommandKind.Restart));
        var dbFactory = factory.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Touchpoint.Server.Infrastructure.TouchpointDb>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            // As if the TTL (DeviceChannel:CommandTtlMinutes) had run out while the device stayed away.
            var row = await db.DeviceCommands.FindAsync(command.Id);
            row!.ExpiresAtUtc = DateTime.UtcNow.AddSeconds(-1);
            await db.SaveChangesAsync();
        }
        await factory.Services.GetRequiredService<DeviceCommandService>().SweepAsync(CancellationToken.None);
        var expired = await WaitCommandAsync(owner, sn, command.Id, CommandStatus.Expired);
        Assert.NotNull(expired.CompletedAtUtc);
        // A new one may be asked for now that the old one has ended.
        Assert.Equal(CommandStatus.Pending, (await owner.Client.PostAsync<CommandRow>($"/api/devices/{sn}/commands", new NewCommand(CommandKind.Restart))).Status);
    }

    private static Task<CommandRow> WaitCommandAsync(TestAccount owner, string sn, long id, CommandStatus status) =>
        WaitCommandAsync(owner, sn, id, c => c.Status == status, status.ToString());

    private static async Task<CommandRow> WaitCommandAsync(TestAccount owner, string sn, long id, Func<CommandRow, bool> reached, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var row = (await owner.Client.GetAsync<List<CommandRow>>($"/api/devices/{sn}/commands")).Single(c => c.Id == id);
            if (reached(row))
            {
                return row;
            }
            Assert.True(DateTime.UtcNow < deadline, $"command {id} is {row.Status}, expected {expected}");
            await Task.Delay(100);
        }
    }
}

public sealed class SqliteDeviceCommandTests(SqliteFactory f) : DeviceCommandTests(f), IClassFixture<SqliteFactory>;
public sealed class PostgresDeviceCommandTests(PostgresFactory f) : DeviceCommandTests(f), IClassFixture<PostgresFactory>;

internal static class DeviceChannelScenario
{
    public static AgentOptions Options(TouchpointFactory factory) => new()
    {
        Host = "127.0.0.1", Port = factory.MqttPort, Heartbeat = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(2),
        RebootDelay = TimeSpan.FromMilliseconds(300), Auth = factory.AgentAuth,
    };

    public static async Task<(TestAccount Owner, string Sn, AgentIdentity Identity)> NewDeviceAsync(TouchpointFactory factory, TestAccount? owner = null)
    {
        owner ??= await factory.NewAccountAsync(AccountRole.Merchant);
        var sn = (await factory.OnboardAsync(owner, 1))[0];
        var credential = await owner.Client.PostAsync<IssuedCredential>($"/api/devices/{sn}/credential", new { });
        return (owner, sn, new AgentIdentity(sn, credential.PrivateKeyPem));
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(50);
        }
    }

    public static async Task<DeviceRow> WaitForAsync(TestAccount owner, string sn, Func<DeviceRow, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var row = (await owner.Client.GetAsync<JsonElement>($"/api/devices/{sn}")).GetProperty("row").Deserialize<DeviceRow>(ApiClient.Json)!;
            if (condition(row))
            {
                return row;
            }
            Assert.True(DateTime.UtcNow < deadline, $"device {sn} never reached the expected state: {JsonSerializer.Serialize(row)}");
            await Task.Delay(100);
        }
    }
}

public sealed class MosquittoDeviceChannelTests(MosquittoFactory f) : DeviceChannelTests(f), IClassFixture<MosquittoFactory>;
public sealed class MosquittoDeviceCommandTests(MosquittoFactory f) : DeviceCommandTests(f), IClassFixture<MosquittoFactory>;

/// <summary>What only an external broker brings: several server nodes sharing the devices, and online state without connect events.</summary>
public sealed class ExternalBrokerTests(MosquittoFactory factory) : IClassFixture<MosquittoFactory>
{
    [Fact]
    public async Task TwoNodesShareTheUplinksAndEitherDeliversCommands()
    {
        await using var nodeB = factory.WithWebHostBuilder(b => MosquittoFactory.UseExternalBroker(b, factory.Broker, "touchpoint-node-b"));
        var linkA = factory.Services.GetRequiredService<ExternalDeviceBroker>();
        var linkB = nodeB.Services.GetRequiredService<ExternalDeviceBroker>();
        await WaitUntilAsync(() => linkA.IsReady && linkB.IsReady, TimeSpan.FromSeconds(30)); // a second host starting on two busy cores

        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var devices = new List<(string Sn, AgentIdentity Identity)>();
        for (var i = 0; i < 6; i++)
        {
            var (_, sn, identity) = await DeviceChannelScenario.NewDeviceAsync(factory, owner);
            devices.Add((sn, identity));
        }
        using var stop = new CancellationTokenSource();
        var agents = devices.Select(d => new DeviceAgent(d.Identity, DeviceChannelScenario.Options(factory))).ToList();
        var runs = agents.Select(a => a.RunAsync(stop.Token)).ToList();
        foreach (var (sn, _) in devices)
        {
            await DeviceChannelScenario.WaitForAsync(owner, sn, r => r.IsOnline && r.LastBootAtUtc is not null);
        }
        // Heartbeats every second from six devices: the broker spreads them over both nodes.
        await WaitUntilAsync(() => linkA.MessagesReceived > 10 && linkB.MessagesReceived > 10, TimeSpan.FromSeconds(20));

        // A command asked for on node B reaches a device whatever node its uplinks go to.
        var ownerOnB = await nodeB.LoginAsync(owner.Login, "Passw0rd!");
        var target = devices[3].Sn;
        var command = await ownerOnB.PostAsync<CommandRow>($"/api/devices/{target}/commands", new NewCommand(CommandKind.Restart));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await owner.Client.GetAsync<List<CommandRow>>($"/api/devices/{target}/commands")).Single(c => c.Id == command.Id).Status != CommandStatus.Succeeded)
        {
            Assert.True(DateTime.UtcNow < deadline, "the restart never succeeded");
            await Task.Delay(100);
        }
        Assert.Equal(2, agents[3].State.BootCount);

        // A console page on node B follows what node A wrote: node A's flush and command changes are announced.
        var heardOnB = new TaskCompletionSource<IReadOnlyCollection<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var commandOnB = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ingestB = nodeB.Services.GetRequiredService<DeviceIngest>();
        var commandsB = nodeB.Services.GetRequiredService<DeviceCommandService>();
        void OnFlushed(IReadOnlyCollection<string> sns)
        {
            if (sns.Contains("ONLY-NODE-A-HEARD-THIS"))
            {
                heardOnB.TrySetResult(sns);
            }
        }
        var (_, quiet, _) = await DeviceChannelScenario.NewDeviceAsync(factory, owner); // never connects: only node A touches its commands
        void OnChanged(string sn)
        {
            if (sn == quiet)
            {
                commandOnB.TrySetResult(sn);
            }
        }
        ingestB.Flushed += OnFlushed;
        commandsB.Changed += OnChanged;
        var ingestA = factory.Services.GetRequiredService<DeviceIngest>();
        ingestA.Heartbeat("ONLY-NODE-A-HEARD-THIS");
        await ingestA.FlushAsync(CancellationToken.None);
        await owner.Client.PostAsync<CommandRow>($"/api/devices/{quiet}/commands", new NewCommand(CommandKind.Restart));
        await factory.Services.GetRequiredService<DeviceCommandService>().SendPendingAsync(quiet, CancellationToken.None); // pending → sent on A
        await heardOnB.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await commandOnB.Task.WaitAsync(TimeSpan.FromSeconds(10));
        ingestB.Flushed -= OnFlushed;
        commandsB.Changed -= OnChanged;

        stop.Cancel();
        await Task.WhenAll(runs);
        foreach (var agent in agents)
        {
            await agent.DisposeAsync();
        }
    }

    [Fact]
    public async Task ADeviceThatVanishesWithoutAWillIsRecordedOfflineAfterTheHeartbeatTimeout()
    {
        var (owner, sn, identity) = await DeviceChannelScenario.NewDeviceAsync(factory);
        using var key = ECDsa.Create();
        key.ImportFromPem(identity.PrivateKeyPem);
        // A terminal whose firmware sets no last will, then loses power.
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", factory.MqttPort).WithClientId(sn)
            .WithCredentials(sn, BrokerPassword.Derive(key, sn)).Build());
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(DeviceTopics.Up(sn, UplinkKind.Status))
            .WithPayload("{\"v\":1,\"online\":true}").WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await DeviceChannelScenario.WaitForAsync(owner, sn, r => r.IsOnline);
        client.Dispose(); // no DISCONNECT, no will

        await DeviceChannelScenario.WaitForAsync(owner, sn, r => !r.IsOnline); // DeviceChannel:HeartbeatTimeoutSeconds = 5 here
        var history = await owner.Client.GetAsync<List<ConnectionRow>>($"/api/devices/{sn}/connections");
        Assert.Equal(("timeout", false), (history[0].Reason, history[0].Online));

        // Heard from again (its "online" lost, say): a report alone brings it back.
        await using var agent = new DeviceAgent(identity, DeviceChannelScenario.Options(factory));
        using var stop = new CancellationTokenSource();
        var run = agent.RunAsync(stop.Token);
        await DeviceChannelScenario.WaitForAsync(owner, sn, r => r.IsOnline);
        stop.Cancel();
        await run;
        await DeviceChannelScenario.WaitForAsync(owner, sn, r => !r.IsOnline);
        history = await owner.Client.GetAsync<List<ConnectionRow>>($"/api/devices/{sn}/connections");
        Assert.Equal(("disconnected", false), (history[0].Reason, history[0].Online));
    }

    [Fact]
    public async Task IssuingAKeyFailsClearlyWhenTheBrokerIsUnreachableAndTheOldKeyStays()
    {
        var (owner, sn, identity) = await DeviceChannelScenario.NewDeviceAsync(factory);
        // A node whose broker address is wrong: the link never comes up.
        await using var lost = factory.WithWebHostBuilder(b =>
        {
            MosquittoFactory.UseExternalBroker(b, factory.Broker, "touchpoint-node-lost");
            b.UseSetting("DeviceChannel:External:Port", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("DeviceChannel:External:RequestTimeoutSeconds", "1");
        });
        var ownerOnLost = await lost.LoginAsync(owner.Login, "Passw0rd!");
        var refused = await ownerOnLost.PostAsJsonAsync($"/api/devices/{sn}/credential", new { }, ApiClient.Json);
        Assert.Contains("密钥未签发", await refused.ProblemAsync(System.Net.HttpStatusCode.ServiceUnavailable));

        // The device still connects with the key it has.
        await using var agent = new DeviceAgent(identity, DeviceChannelScenario.Options(factory));
        using var stop = new CancellationTokenSource();
        var run = agent.RunAsync(stop.Token);
        await DeviceChannelScenario.WaitForAsync(owner, sn, r => r.IsOnline);
        stop.Cancel();
        await run;
    }

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null) => DeviceChannelScenario.WaitUntilAsync(condition, timeout);
}
