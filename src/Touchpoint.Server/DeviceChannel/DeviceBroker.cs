using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Touchpoint.Core.DeviceChannel;

namespace Touchpoint.Server.DeviceChannel;

/// <summary>
/// The embedded MQTT broker (MQTTnet 5) devices connect to. It authenticates every connect (client id = SN, a fresh
/// signed token as password), lets a device publish and subscribe only under its own topics, checks every payload,
/// and closes the connection of a device that breaks a rule — logged with its SN — leaving every other device alone.
/// </summary>
public sealed class DeviceBroker(IOptions<DeviceChannelOptions> options, DeviceCredentialService credentials, DeviceIngest ingest,
    IServiceProvider services, TimeProvider clock, ILogger<DeviceBroker> logger) : IHostedService, IDisposable
{
    // Resolved on first use: the command service publishes through this broker, and this broker hands it answers.
    private DeviceCommandService Commands => services.GetRequiredService<DeviceCommandService>();

    private readonly ConcurrentDictionary<string, DateTimeOffset> _nonces = new(StringComparer.Ordinal);
    private MqttServer? _server;

    public MqttServer? Server => _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return;
        }
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(o.BindAddress))
            .WithDefaultEndpointPort(o.Port)
            // A fleet reconnects all at once after an outage: a short accept queue turns that into SYN drops and retries.
            .WithConnectionBacklog(o.ConnectionBacklog)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.ValidatingConnectionAsync += ValidateAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        _server.ClientConnectedAsync += e =>
        {
            ingest.Connection(e.ClientId, true, "connected", e.RemoteEndPoint?.ToString());
            return Task.CompletedTask;
        };
        _server.ClientSubscribedTopicAsync += async e =>
        {
            // Once a device listens to its downlink, whatever waited for it goes out.
            if (e.TopicFilter.Topic == DeviceTopics.DownFilter(e.ClientId))
            {
                try
                {
                    await Commands.SendPendingAsync(e.ClientId, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Sending pending commands to {Sn} failed; the sweep will retry", e.ClientId);
                }
            }
        };
        _server.ClientDisconnectedAsync += e =>
        {
            // Only a device that had authenticated reaches here; a takeover by a new session of the same SN is not an outage.
            if (e.DisconnectType != MqttClientDisconnectType.Takeover)
            {
                ingest.Connection(e.ClientId, false, e.DisconnectType == MqttClientDisconnectType.Clean ? "disconnected" : "lost", e.RemoteEndPoint?.ToString());
            }
            return Task.CompletedTask;
        };
        await _server.StartAsync();
        logger.LogInformation("Device MQTT endpoint on {Address}:{Port}", o.BindAddress, o.Port);
    }

    private async Task ValidateAsync(ValidatingConnectionEventArgs e)
    {
        var sn = e.ClientId;
        if (string.IsNullOrEmpty(sn) || e.UserName != sn)
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "username must equal the client id (the SN)");
            return;
        }
        var key = await credentials.FindKeyAsync(sn, e.CancellationToken);
        if (key is null)
        {
            Refuse(e, MqttConnectReasonCode.NotAuthorized, "unknown SN, or no active device key");
            return;
        }
        var now = clock.GetUtcNow();
        var (verdict, nonce) = ConnectToken.Verify(sn, e.Password, key, now);
        if (verdict != ConnectToken.Verdict.Valid)
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, $"connect token {verdict}");
            return;
        }
        ForgetOldNonces(now);
        if (!_nonces.TryAdd($"{sn}:{nonce}", now))
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "connect token replayed");
        }
    }

    private void Refuse(ValidatingConnectionEventArgs e, MqttConnectReasonCode code, string why)
    {
        e.ReasonCode = code;
        logger.LogWarning("Device connect refused: SN {Sn} from {Endpoint}: {Why}", e.ClientId, e.RemoteEndPoint, why);
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        if (string.IsNullOrEmpty(e.ClientId))
        {
            return; // the platform's own downlink messages
        }
        var topic = DeviceTopics.ParseUp(e.ApplicationMessage.Topic);
        if (topic is null || topic.Value.Sn != e.ClientId)
        {
            Close(e, $"publish to {e.ApplicationMessage.Topic} is not one of its own uplink topics");
            return;
        }
        var payload = e.ApplicationMessage.Payload;
        if (payload.Length > DeviceTopics.MaxPayloadBytes)
        {
            Close(e, $"payload of {payload.Length} bytes exceeds {DeviceTopics.MaxPayloadBytes}");
            return;
        }
        var bytes = payload.IsSingleSegment ? payload.First : System.Buffers.BuffersExtensions.ToArray(payload);
        // Uplinks are for the platform only: nothing is routed to other subscribers.
        e.ProcessPublish = false;
        switch (topic.Value.Kind)
        {
            case UplinkKind.Telemetry:
                var report = Parse<Telemetry>(e, bytes.Span);
                if (report is null)
                {
                    return;
                }
                if (TelemetryRules.Problem(report) is { } problem)
                {
                    Close(e, $"telemetry refused: {problem}");
                    return;
                }
                ingest.Telemetry(e.ClientId, report);
                break;
            case UplinkKind.Ack or UplinkKind.Result:
                var answer = Parse<CommandAnswer>(e, bytes.Span);
                if (answer is not null)
                {
                    await Commands.AnswerAsync(e.ClientId, answer, topic.Value.Kind == UplinkKind.Result, e.CancellationToken);
                }
                break;
            case UplinkKind.Heartbeat:
                ingest.Heartbeat(e.ClientId);
                break;
            case UplinkKind.Status:
                // The last will ("offline") arrives here as well; the disconnect event already records it.
                break;
        }
    }

    private T? Parse<T>(InterceptingPublishEventArgs e, ReadOnlySpan<byte> json) where T : class
    {
        try
        {
            if (JsonSerializer.Deserialize<T>(json) is { } value)
            {
                return value;
            }
            Close(e, $"{typeof(T).Name} payload is empty");
        }
        catch (JsonException ex)
        {
            Close(e, $"{typeof(T).Name} payload is not valid JSON: {ex.Message}");
        }
        return null;
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        if (!DeviceTopics.MaySubscribe(e.ClientId, e.TopicFilter.Topic))
        {
            e.ProcessSubscription = false;
            e.CloseConnection = true;
            logger.LogWarning("Device {Sn} closed: subscription to {Filter} is not its own downlink", e.ClientId, e.TopicFilter.Topic);
        }
        return Task.CompletedTask;
    }

    private void Close(InterceptingPublishEventArgs e, string why)
    {
        e.ProcessPublish = false;
        e.CloseConnection = true;
        logger.LogWarning("Device {Sn} closed: {Why}", e.ClientId, why);
    }

    private void ForgetOldNonces(DateTimeOffset now)
    {
        if (_nonces.Count < 10_000 && Random.Shared.Next(100) != 0)
        {
            return;
        }
        foreach (var (key, at) in _nonces)
        {
            if (now - at > ConnectToken.Window * 2)
            {
                _nonces.TryRemove(key, out _);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not { IsStarted: true } server)
        {
            return;
        }
        try
        {
            await server.StopAsync();
        }
        catch (InvalidOperationException e)
        {
            // MQTTnet refuses to stop a server it considers stopped already; shutting down must not fail for that.
            logger.LogDebug(e, "Device MQTT endpoint was already stopped");
        }
    }

    // IDisposable, not IAsyncDisposable only: a container disposed synchronously (a test host, a console app)
    // refuses singletons that can only be disposed asynchronously.
    public void Dispose() => _server?.Dispose();
}
