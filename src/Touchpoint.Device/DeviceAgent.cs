using System.Security.Cryptography;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using Touchpoint.Core.DeviceChannel;

namespace Touchpoint.Device;

/// <summary>Where and who: the broker, the SN and its private key (PKCS8 PEM).</summary>
public sealed record AgentIdentity(string Sn, string PrivateKeyPem);

public sealed record AgentOptions
{
    public required string Host { get; init; }
    public int Port { get; init; } = 1883;
    /// <summary>Connect over WebSocket to this address (<c>ws://host:5080/mqtt</c>) instead of TCP to Host:Port.</summary>
    public string? WebSocketUri { get; init; }
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(30);
    public string? StateFolder { get; init; }
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How long a restart keeps the terminal off the network.</summary>
    public TimeSpan RebootDelay { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Token for the platform's embedded broker; Password for an external broker (docs/device-protocol.md).</summary>
    public AgentAuth Auth { get; init; } = AgentAuth.Token;
    /// <summary>MQTTS: TLS to Host:Port (8883 on the embedded broker).</summary>
    public bool UseTls { get; init; }
    /// <summary>With TLS: trust this certificate (PEM or DER; the server's own or its CA) instead of the system's roots.</summary>
    public string? TrustedCertificatePath { get; init; }
    /// <summary>Downloads of distribution jobs (one client for a whole fleet); null = a client of its own.</summary>
    public HttpClient? Http { get; init; }
    /// <summary>Fleet testing: this share of installs fails (0–1), as a real terminal's would now and then.</summary>
    public double FailInstallRate { get; init; }
    /// <summary>Fleet testing: this share of downloads drops once midway and must resume with a range request.</summary>
    public double DropDownloadRate { get; init; }
    /// <summary>Fleet testing: download speed cap per terminal (bytes/s); 0 = unlimited.</summary>
    public long DownloadBytesPerSecond { get; init; }
    /// <summary>Where partial downloads are kept (resumed after a drop or a restart); null = the temp folder.</summary>
    public string? DownloadFolder { get; init; }
    /// <summary>How long installing takes (a real package manager is not instant).</summary>
    public TimeSpan InstallDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    /// <summary>
    /// Keep downloads on disk (resumable after a drop). Fleet benchmarks turn it off: thousands of simulated terminals on
    /// one machine hash what they receive without writing it, and a drop restarts from the first byte.
    /// </summary>
    public bool StoreDownloads { get; init; } = true;
    /// <summary>How long a dropped download keeps resuming before the job fails as network_lost.</summary>
    public TimeSpan DownloadRetryWindow { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>How long a job's report waits for the link to come back.</summary>
    public TimeSpan OfflineReportWindow { get; init; } = TimeSpan.FromMinutes(10);
}

public enum AgentAuth
{
    /// <summary>A fresh signed connect token each time (replay-proof; the embedded broker checks it).</summary>
    Token,
    /// <summary>The password derived from the device key (<see cref="BrokerPassword"/>), for brokers that only compare passwords.</summary>
    Password,
}

/// <summary>
/// One terminal on the MQTT channel: connects with a fresh signed token, reports its state on every connect, sends
/// heartbeats, and reconnects with growing, jittered delays when the link drops.
/// </summary>
public sealed partial class DeviceAgent(AgentIdentity identity, AgentOptions options, TimeProvider? clock = null) : IAsyncDisposable
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ECDsa _key = LoadKey(identity.PrivateKeyPem);
    private IMqttClient? _client;
    private volatile bool _rebooting;

    public AgentState State { get; private set; } = default!;
    public string Sn => identity.Sn;
    public bool IsConnected => _client?.IsConnected == true;
    /// <summary>Times the broker refused or dropped us; for logs and tests.</summary>
    public int Failures { get; private set; }
    /// <summary>Successful connections so far: a test tells "pushed to the device" from "taken again on reconnect".</summary>
    public int Connects { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        State = AgentState.LoadOrCreate(options.StateFolder, identity.Sn, _clock);
        State.Save(options.StateFolder);
        var backoff = TimeSpan.FromSeconds(1);
        var rotation = Task.Run(() => RotateAsync(ct), CancellationToken.None);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await ConnectAsync(ct);
                backoff = TimeSpan.FromSeconds(1);
                using var heartbeat = new PeriodicTimer(options.Heartbeat, _clock);
                while (IsConnected && await heartbeat.WaitForNextTickAsync(ct))
                {
                    if (IsConnected)
                    {
                        await PublishAsync(UplinkKind.Heartbeat, new { v = 1, at = _clock.GetUtcNow() }, ct);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                Failures++;
                LastError = e.Message;
            }
            if (_rebooting)
            {
                // A restart: off the network for a moment, then a new boot.
                await Task.Delay(options.RebootDelay, ct).ContinueWith(_ => { });
                State.BootCount++;
                State.BootAt = _clock.GetUtcNow();
                State.Save(options.StateFolder);
                _rebooting = false;
                continue;
            }
            // Full jitter: thousands of agents that lost the broker together do not come back together.
            var delay = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * backoff.TotalMilliseconds);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
            try
            {
                await Task.Delay(delay, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await rotation;
        if (_client?.IsConnected == true)
        {
            await SayOfflineAsync("shutdown");
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), CancellationToken.None);
        }
    }

    /// <summary>The server's certificate is the pinned one, or is issued by it (a private CA).</summary>
    private static bool TrustsOnly(System.Security.Cryptography.X509Certificates.X509Certificate2 trusted,
        System.Security.Cryptography.X509Certificates.X509Certificate? presented)
    {
        if (presented is null)
        {
            return false;
        }
        using var server = new System.Security.Cryptography.X509Certificates.X509Certificate2(presented);
        if (server.RawDataMemory.Span.SequenceEqual(trusted.RawDataMemory.Span))
        {
            return true;
        }
        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trusted);
        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        return chain.Build(server);
    }

    private async Task ConnectAsync(CancellationToken ct)
    {
        _client?.Dispose();
        _client = new MqttClientFactory().CreateMqttClient();
        var connect = new MqttClientOptionsBuilder();
        if (options.WebSocketUri is { } uri)
        {
            connect.WithWebSocketServer(o => o.WithUri(uri));
        }
        else
        {
            connect.WithTcpServer(options.Host, options.Port);
            if (options.UseTls)
            {
                connect.WithTlsOptions(tls =>
                {
                    tls.UseTls().WithTargetHost(options.Host);
                    if (options.TrustedCertificatePath is { } path)
                    {
                        var trusted = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(path);
                        tls.WithCertificateValidationHandler(e => TrustsOnly(trusted, e.Certificate));
                    }
                });
            }
        }
        connect
            .WithClientId(identity.Sn)
            .WithCredentials(identity.Sn, options.Auth == AgentAuth.Password
                ? BrokerPassword.Derive(_key, identity.Sn)
                : ConnectToken.Create(identity.Sn, _key, _clock.GetUtcNow()))
            .WithCleanSession()
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(60))
            .WithWillTopic(DeviceTopics.Up(identity.Sn, UplinkKind.Status))
            .WithWillPayload("{\"v\":1,\"online\":false}"u8.ToArray());
        var result = await _client.ConnectAsync(connect.Build(), ct);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"connect refused: {result.ResultCode}");
        }
        Connects++;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            // Commands run off the client's receive loop: a restart disconnects this very client.
            var payload = System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload);
            if (e.ApplicationMessage.Topic == DeviceTopics.Down(identity.Sn, "screen"))
            {
                // Screens follow each other in the order sent (face, then the error): shown on the receive loop, never reordered.
                ShowSafely(payload);
                return Task.CompletedTask;
            }
            if (e.ApplicationMessage.Topic == DeviceTopics.Down(identity.Sn, "posters"))
            {
                TakePostersSafely(payload);
                return Task.CompletedTask;
            }
            if (e.ApplicationMessage.Topic == DeviceTopics.Down(identity.Sn, "voice"))
            {
                TakeVoices(payload);
                return Task.CompletedTask;
            }
            if (e.ApplicationMessage.Topic == DeviceTopics.Down(identity.Sn, "speak"))
            {
                Speak(payload);
                return Task.CompletedTask;
            }
            _ = Task.Run(() => HandleAsync(e.ApplicationMessage.Topic, payload));
            return Task.CompletedTask;
        };
        // What ended with the last reboot goes first, before we listen: a command that arrives once we do may start
        // a new reboot, and this result must not wait for (or be lost in) that one.
        if (State.PendingResult is { } finished)
        {
            await PublishAsync(UplinkKind.Result, new CommandAnswer(1, finished.CommandId, true, finished.Message), ct);
            State.PendingResult = null;
            State.Save(options.StateFolder);
        }
        await _client.SubscribeAsync(DeviceTopics.DownFilter(identity.Sn), MqttQualityOfServiceLevel.AtLeastOnce, ct);
        // Listening now: behind an external broker this is how the platform learns the device is there (and sends
        // what waited for it), so it comes before the state report.
        await PublishAsync(UplinkKind.Status, new DeviceStatus(1, true), ct);
        await PublishAsync(UplinkKind.Telemetry, State.ToTelemetry(), ct);
        // What the screen shows, with the schedule revision it runs: the platform answers a stale one with the current.
        _ = Task.Run(() => ReportScreenAsync(force: true), CancellationToken.None);
        if (State.CurrentJob is { } interrupted && _jobs.CurrentCount == 1)
        {
            _ = Task.Run(() => ResumeJobAsync(interrupted));
        }
    }

    /// <summary>A planned departure, said before the DISCONNECT so that it is not taken for a lost link.</summary>
    private async Task SayOfflineAsync(string reason)
    {
        try
        {
            await PublishAsync(UplinkKind.Status, new DeviceStatus(1, false, reason), CancellationToken.None);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
        }
    }

    private async Task HandleAsync(string topic, byte[] payload)
    {
        try
        {
            if (topic == DeviceTopics.Down(identity.Sn, "job"))
            {
                if (JsonSerializer.Deserialize<Touchpoint.Core.Distribution.JobMessage>(payload) is { } job)
                {
                    await TakeJobAsync(job);
                }
                return;
            }
            if (topic != DeviceTopics.Down(identity.Sn, "cmd") || JsonSerializer.Deserialize<CommandMessage>(payload) is not { } command)
            {
                return;
            }
            if (_rebooting)
            {
                // Going down: not acknowledged, so the platform sends it again once this terminal is back.
                return;
            }
            await PublishAsync(UplinkKind.Ack, new CommandAnswer(1, command.Id), CancellationToken.None);
            if (State.HandledCommands.Contains(command.Id))
            {
                return; // a re-sent command: acknowledged again, run once
            }
            State.Handled(command.Id);
            switch (CommandNames.FromWire(command.Kind))
            {
                case CommandKind.Restart:
                    await RebootAsync(new PendingResult(command.Id, "已重启"));
                    break;
                case CommandKind.FactoryReset:
                    // Drops installed apps and local content; the SN and the device key stay.
                    State.Apps = AgentState.FactoryApps(State.AndroidVersion);
                    State.Certificates.Clear();
                    await RebootAsync(new PendingResult(command.Id, "已恢复出厂设置并重启"));
                    break;
                default:
                    State.Save(options.StateFolder);
                    await PublishAsync(UplinkKind.Result, new CommandAnswer(1, command.Id, false, $"不支持的指令 {command.Kind}"), CancellationToken.None);
                    break;
            }
        }
        catch (Exception e) when (e is JsonException or MQTTnet.Exceptions.MqttCommunicationException)
        {
            LastError = e.Message;
        }
    }

    private async Task RebootAsync(PendingResult? result)
    {
        State.PendingResult = result;
        State.Save(options.StateFolder);
        _rebooting = true;
        await SayOfflineAsync("restart");
        await _client!.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build());
    }

    /// <summary>Publishes an uplink message (public so tests can send what a faulty device would).</summary>
    public Task PublishAsync(UplinkKind kind, object body, CancellationToken ct) =>
        PublishRawAsync(DeviceTopics.Up(identity.Sn, kind), JsonSerializer.SerializeToUtf8Bytes(body), ct);

    public async Task PublishRawAsync(string topic, byte[] payload, CancellationToken ct)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        await _client!.PublishAsync(message, ct);
    }

    private static ECDsa LoadKey(string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return key;
    }

    public ValueTask DisposeAsync()
    {
        _client?.Dispose();
        _ownHttp?.Dispose();
        _key.Dispose();
        return ValueTask.CompletedTask;
    }
}
