using System.Threading.Channels;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Touchpoint.Core.DeviceChannel;

namespace Touchpoint.Server.DeviceChannel;

/// <summary>
/// The platform as a client of an external broker (mosquitto, EMQX …), for several server nodes: each node subscribes
/// to every device's uplink through one shared subscription, so the broker hands each message to one node, and
/// publishes commands to a device's downlink. The broker authenticates devices and enforces their topics; this link
/// checks payloads as the embedded broker does and has the broker drop a device that breaks a rule.
/// </summary>
public sealed class ExternalDeviceBroker(IOptions<DeviceChannelOptions> options, DeviceUplink uplink, DeviceIngest ingest,
    IServiceProvider services, ILogger<ExternalDeviceBroker> logger) : BackgroundService, IDeviceDownlink
{
    /// <summary>
    /// Nodes tell each other what changed, so that a console page on one node follows devices another node heard.
    /// Best effort (QoS 0): a missed notice costs a page one update, never data.
    /// </summary>
    public const string NodesTopic = "touchpoint/v1/nodes/changed";

    // Messages of one device stay in order (its ack before its result); different devices are handled in parallel.
    private const int Lanes = 4;
    private readonly Channel<(string Sn, UplinkKind Kind, byte[] Payload)>[] _lanes = Enumerable.Range(0, Lanes)
        .Select(_ => Channel.CreateBounded<(string, UplinkKind, byte[])>(new BoundedChannelOptions(10_000) { SingleReader = true }))
        .ToArray();
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private long _received;

    private ExternalBrokerOptions External => options.Value.External;

    public bool IsReady => _client.IsConnected;

    /// <summary>Uplink messages this node took from the broker (the health page and the multi-node test show the split).</summary>
    public long MessagesReceived => Interlocked.Read(ref _received);

    /// <summary>Messages on <c>$CONTROL/…</c> topics: the broker's administration answers.</summary>
    public event Action<string, byte[]>? ControlMessage;

    /// <summary>Topics besides the uplinks this node listens to (answers of the broker's administration API).</summary>
    public List<string> ControlTopics { get; } = [];

    /// <summary>Raised after each (re)connect, before uplinks are subscribed: set-up that needs the link (broker roles).</summary>
    public event Func<CancellationToken, Task>? Connected;

    public string ClientId => External.ClientId ?? $"touchpoint-{Environment.MachineName}-{Environment.ProcessId}";

    public async Task PublishAsync(string topic, byte[] payload, CancellationToken ct)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        var result = await _client.PublishAsync(message, ct);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"the broker refused a publish to {topic}: {result.ReasonCode} {result.ReasonString}");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _ = services.GetRequiredService<IDeviceAccounts>(); // it hooks into this link (control topics) before the first connect
        var commands = services.GetRequiredService<DeviceCommandService>();
        // In chunks: a fleet's flush would not fit the broker's packet limit (docs: max_packet_size 70000).
        ingest.FlushedHere += sns =>
        {
            foreach (var chunk in sns.Chunk(1000))
            {
                Tell(new NodeNotice(chunk, null));
            }
        };
        commands.ChangedHere += sn => Tell(new NodeNotice(null, sn));
        var workers = _lanes.Select(lane => Task.Run(() => DrainAsync(lane.Reader, stoppingToken), CancellationToken.None)).ToArray();
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    await ConnectAsync(stoppingToken);
                    backoff = TimeSpan.FromSeconds(1);
                }
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning("External MQTT broker {Host}:{Port} not reachable ({Error}); retrying in {Delay}",
                    External.Host, External.Port, e.Message, backoff);
                await Task.Delay(backoff, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(15).Ticks));
            }
        }
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }
        await Task.WhenAll(workers);
    }

    private async Task ConnectAsync(CancellationToken ct)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(External.Host, External.Port)
            .WithClientId(ClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            // No persistent session: the broker would keep handing a stopped node its share of the uplinks until the
            // session expired (mosquitto counts offline members of a shared group). Uplinks sent while no node is
            // connected are lost instead; devices report again, and the heartbeat timeout settles online state.
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (External.Username is not null)
        {
            builder.WithCredentials(External.Username, External.Password);
        }
        if (External.UseTls)
        {
            builder.WithTlsOptions(o => o.UseTls());
        }
        var result = await _client.ConnectAsync(builder.Build(), ct);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"connect refused: {result.ResultCode} {result.ReasonString}");
        }
        try
        {
            await SetUpAsync(ct);
        }
        catch
        {
            // Half set up (no uplink subscription) must not pass for connected: drop the link, the loop tries again.
            if (_client.IsConnected)
            {
                try
                {
                    await _client.DisconnectAsync(cancellationToken: CancellationToken.None);
                }
                catch (MQTTnet.Exceptions.MqttCommunicationException)
                {
                }
            }
            throw;
        }
        logger.LogInformation("Connected to the external MQTT broker {Host}:{Port} as {ClientId} (shared group {Group})",
            External.Host, External.Port, ClientId, External.SharedGroup);
    }

    private async Task SetUpAsync(CancellationToken ct)
    {
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var topic in ControlTopics)
        {
            subscribe.WithTopicFilter(f => f.WithTopic(topic).WithAtLeastOnceQoS());
        }
        if (ControlTopics.Count > 0)
        {
            await _client.SubscribeAsync(subscribe.Build(), ct);
        }
        if (Connected is { } connected)
        {
            await connected(ct);
        }
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(NodesTopic).WithAtMostOnceQoS().WithNoLocal()).Build(), ct);
        var uplinks = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic($"$share/{External.SharedGroup}/{DeviceTopics.Prefix}+/up/#").WithAtLeastOnceQoS())
            .Build(), ct);
        var granted = uplinks.Items.Single().ResultCode;
        if (granted > MqttClientSubscribeResultCode.GrantedQoS2)
        {
            throw new InvalidOperationException($"the broker refused the uplink subscription: {granted}");
        }
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        var payload = System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload);
        if (topic.StartsWith("$CONTROL/", StringComparison.Ordinal))
        {
            ControlMessage?.Invoke(topic, payload);
            return;
        }
        if (topic == NodesTopic)
        {
            Heard(payload);
            return;
        }
        if (DeviceTopics.ParseUp(topic) is not { } up)
        {
            logger.LogWarning("Ignored a message on {Topic}: not a known uplink topic", topic);
            return;
        }
        Interlocked.Increment(ref _received);
        // A full lane makes the broker wait for our acknowledgement: back-pressure instead of unbounded memory.
        await _lanes[(up.Sn.GetHashCode(StringComparison.Ordinal) & int.MaxValue) % Lanes].Writer.WriteAsync((up.Sn, up.Kind, payload));
    }

    private async Task DrainAsync(ChannelReader<(string Sn, UplinkKind Kind, byte[] Payload)> reader, CancellationToken ct)
    {
        await foreach (var (sn, kind, payload) in reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                if (await uplink.HandleAsync(sn, kind, payload, statusIsConnection: true, ct) is { } problem)
                {
                    logger.LogWarning("Device {Sn} dropped: {Why}", sn, problem);
                    _ = DropAsync(sn);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogError(e, "Handling an uplink of {Sn} failed", sn);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private void Tell(NodeNotice notice)
    {
        if (!_client.IsConnected)
        {
            return;
        }
        var message = new MqttApplicationMessageBuilder().WithTopic(NodesTopic)
            .WithPayload(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(notice)).Build();
        _ = _client.PublishAsync(message).ContinueWith(t => logger.LogDebug(t.Exception, "A change notice to the other nodes was lost"),
            TaskContinuationOptions.OnlyOnFaulted);
    }

    private void Heard(byte[] payload)
    {
        try
        {
            var notice = System.Text.Json.JsonSerializer.Deserialize<NodeNotice>(payload);
            if (notice?.Devices is { Length: > 0 } sns)
            {
                ingest.FlushedElsewhere(sns.ToHashSet(StringComparer.Ordinal));
            }
            if (notice?.CommandsOf is { } sn)
            {
                services.GetRequiredService<DeviceCommandService>().ChangedElsewhere(sn);
            }
        }
        catch (System.Text.Json.JsonException e)
        {
            logger.LogWarning("Unreadable notice on {Topic}: {Error}", NodesTopic, e.Message);
        }
    }

    /// <summary>What another node changed: devices whose state it wrote, or the device whose commands moved.</summary>
    public sealed record NodeNotice(string[]? Devices, string? CommandsOf);

    // Not awaited by the lane: the broker's answer to the drop arrives through this very link.
    private async Task DropAsync(string sn)
    {
        try
        {
            await services.GetRequiredService<IDeviceAccounts>().DisconnectAsync(sn, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not have the broker drop device {Sn}", sn);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(cancellationToken: CancellationToken.None);
        }
    }

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }
}
