using System.Collections.Concurrent;
using System.Net;
using MQTTnet;
using MQTTnet.AspNetCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.DeviceChannel;

/// <summary>
/// The embedded MQTT broker (MQTTnet 5) devices connect to. It authenticates every connect (client id = SN, a fresh
/// signed token as password), lets a device publish and subscribe only under its own topics, checks every payload,
/// and closes the connection of a device that breaks a rule — logged with its SN — leaving every other device alone.
/// </summary>
public sealed class DeviceBroker(IOptions<DeviceChannelOptions> options, DeviceCredentialService credentials, DeviceIngest ingest,
    DeviceUplink uplink, IDbContextFactory<TouchpointDb> dbFactory, IServiceProvider services, TimeProvider clock, ILogger<DeviceBroker> logger,
    StorageOptions storage, Security.RequestThrottle throttle)
    : IHostedService, IDeviceDownlink, IDeviceAccounts, IDisposable
{
    // Resolved on first use: the command service publishes through this broker.
    private DeviceCommandService Commands => services.GetRequiredService<DeviceCommandService>();

    private readonly ConcurrentDictionary<string, DateTimeOffset> _nonces = new(StringComparer.Ordinal);
    private MqttServer? _server;
    private MqttWebSocketServerAdapter? _webSockets;

    public MqttServer? Server => _server;

    public bool IsReady => _server is { IsStarted: true };

    /// <summary>
    /// Downlinks go straight into the device's own session (the SN is its client id): injecting a message makes the
    /// broker match it against every connected session's subscriptions, a cost that grows with the fleet and made a
    /// placement on 10,000 devices take a minute. A device without a session (offline, clean sessions) gets nothing,
    /// as before; what it missed is sent again when it reports.
    /// </summary>
    public async Task PublishAsync(string topic, byte[] payload, CancellationToken ct)
    {
        if (_server is not { IsStarted: true } server)
        {
            throw new InvalidOperationException("the device MQTT endpoint is not running");
        }
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        if (DeviceTopics.DownSn(topic) is not { } sn)
        {
            await server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message), ct);
            return;
        }
        MqttSessionStatus session;
        try
        {
            session = await server.GetSessionAsync(sn);
        }
        catch (InvalidOperationException)
        {
            return; // no session: the device is not connected (clean sessions keep nothing), as injecting would find
        }
        try
        {
            // Queued with the session's own packet identifiers and acknowledgement tracking (QoS 1); a full queue
            // drops its oldest message, as the broker's options say.
            session.TryEnqueueApplicationMessage(message, out _);
        }
        catch (ObjectDisposedException)
        {
            // The session went away under us (a reboot, a takeover): nothing to deliver to, as with no session.
        }
    }

    // Connects are checked against the database's current key, so there is no account to keep.
    public Task SetPasswordAsync(string sn, string password, CancellationToken ct) => Task.CompletedTask;

    public async Task DisconnectAsync(string sn, CancellationToken ct)
    {
        if (_server is not { IsStarted: true } server)
        {
            return;
        }
        var client = (await server.GetClientsAsync()).FirstOrDefault(c => c.Id == sn);
        if (client is not null)
        {
            await client.DisconnectAsync(new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized });
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return;
        }
        await ForgetConnectionsOfLastRunAsync(cancellationToken);
        var builder = new MqttServerOptionsBuilder()
            // A fleet reconnects all at once after an outage: a short accept queue turns that into SYN drops and retries.
            .WithConnectionBacklog(o.ConnectionBacklog);
        if (o.PlainTcp)
        {
            builder.WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Parse(o.BindAddress)).WithDefaultEndpointPort(o.Port);
        }
        else
        {
            builder.WithoutDefaultEndpoint();
        }
        if (!string.IsNullOrEmpty(o.TlsCertificatePath))
        {
            // MQTTS: the same connect, topic and payload checks behind TLS (the certificate's key never leaves this node).
            var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                o.TlsCertificatePath, o.TlsCertificatePassword);
            builder.WithEncryptedEndpoint().WithEncryptedEndpointBoundIPAddress(IPAddress.Parse(o.BindAddress))
                .WithEncryptedEndpointPort(o.TlsPort).WithEncryptionCertificate(certificate)
                .WithEncryptionSslProtocol(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13);
        }
        var serverOptions = builder.Build();
        // TCP on its own port, and WebSocket connections handed over by the web endpoint (same checks for both).
        var adapters = new List<IMqttServerAdapter> { new MQTTnet.Server.Internal.Adapter.MqttTcpServerAdapter() };
        if (!string.IsNullOrEmpty(o.WebSocketPath))
        {
            adapters.Add(_webSockets = new MqttWebSocketServerAdapter());
        }
        _server = new MqttServerFactory().CreateMqttServer(serverOptions, adapters);
        _server.ValidatingConnectionAsync += ValidateAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        _server.ClientConnectedAsync += e =>
        {
            ingest.Connection(e.ClientId, true, ConnectionReason.Connected, e.RemoteEndPoint?.ToString());
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
                try
                {
                    // Its voice messages too: the device keeps none across a restart.
                    await services.GetRequiredService<Broadcasts.VoiceMessages>().ConnectedAsync(e.ClientId, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "Voice list for {Sn} not sent on connect", e.ClientId);
                }
            }
        };
        _server.ClientDisconnectedAsync += e =>
        {
            // Only a device that had authenticated reaches here; a takeover by a new session of the same SN is not an outage.
            if (e.DisconnectType != MqttClientDisconnectType.Takeover)
            {
                ingest.Connection(e.ClientId, false, e.DisconnectType == MqttClientDisconnectType.Clean ? ConnectionReason.Disconnected : ConnectionReason.Lost, e.RemoteEndPoint?.ToString());
            }
            return Task.CompletedTask;
        };
        await _server.StartAsync();
        logger.LogInformation("Device MQTT endpoint on {Address}: {Plain}{Tls}{WebSocket}", o.BindAddress,
            o.PlainTcp ? $"MQTT :{o.Port}" : "no plain MQTT", string.IsNullOrEmpty(o.TlsCertificatePath) ? "" : $", MQTTS :{o.TlsPort}",
            _webSockets is null ? "" : $", and over WebSocket at {o.WebSocketPath} on the web port");
    }

    /// <summary>
    /// Every connection of the embedded broker is this process's, so none survives it: devices still recorded online
    /// were cut off by a crash or a kill that gave no time to record it. They are offline until they connect again.
    /// </summary>
    private async Task ForgetConnectionsOfLastRunAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var stale = await db.Devices.Where(d => d.IsOnline).Select(d => d.Id).ToListAsync(ct);
        if (stale.Count == 0)
        {
            return;
        }
        foreach (var chunk in stale.Chunk(1000))
        {
            db.DeviceConnectionEvents.AddRange(chunk.Select(id =>
                new DeviceConnectionEvent { DeviceId = id, AtUtc = now, Online = false, Reason = ConnectionReason.ServerRestart }));
            await db.Devices.Where(d => chunk.Contains(d.Id)).ExecuteUpdateAsync(u => u.SetProperty(d => d.IsOnline, false), ct);
        }
        await db.SaveChangesAsync(ct);
        logger.LogWarning("{Count} devices were recorded online from before this start; recorded offline until they reconnect", stale.Count);
    }

    /// <summary>An HTTP request on DeviceChannel:WebSocketPath: upgraded and served as one MQTT connection.</summary>
    public async Task AcceptWebSocketAsync(HttpContext context)
    {
        if (_webSockets is null || _server is not { IsStarted: true })
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("MQTT over WebSocket: connect with the \"mqtt\" subprotocol", context.RequestAborted);
            return;
        }
        var subProtocol = MqttSubProtocolSelector.SelectSubProtocol(context.Request);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(subProtocol);
        await _webSockets.RunWebSocketConnectionAsync(socket, context);
    }

    private async Task ValidateAsync(ValidatingConnectionEventArgs e)
    {
        var sn = e.ClientId;
        if (string.IsNullOrEmpty(sn) || e.UserName != sn)
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "username must equal the client id (the SN)");
            return;
        }
        using var key = await credentials.FindKeyAsync(sn, e.CancellationToken);
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
        if (!await FirstUseAsync($"{sn}:{nonce}", now))
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "connect token replayed");
        }
    }

    /// <summary>
    /// Whether a token's nonce is used for the first time. On PostgreSQL the set is in the database, so a token replayed
    /// to another node behind the same load balancer is refused too; on SQLite (one node) it is kept in memory.
    /// </summary>
    private async Task<bool> FirstUseAsync(string key, DateTimeOffset now)
    {
        if (storage.Provider.Equals(StorageOptions.Postgres, StringComparison.OrdinalIgnoreCase))
        {
            return await throttle.TryClaimOnceAsync("connect-nonce:" + key, CancellationToken.None);
        }
        ForgetOldNonces(now);
        return _nonces.TryAdd(key, now);
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
        // Uplinks are for the platform only: nothing is routed to other subscribers.
        e.ProcessPublish = false;
        if (payload.Length > DeviceTopics.MaxPayloadBytes)
        {
            Close(e, $"payload of {payload.Length} bytes exceeds {DeviceTopics.MaxPayloadBytes}");
            return;
        }
        var bytes = payload.IsSingleSegment ? payload.First : System.Buffers.BuffersExtensions.ToArray(payload);
        if (await uplink.HandleAsync(e.ClientId, topic.Value.Kind, bytes, statusIsConnection: false, e.CancellationToken) is { } problem)
        {
            Close(e, problem);
        }
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
    public void Dispose()
    {
        _server?.Dispose();
        _webSockets?.Dispose();
    }
}
