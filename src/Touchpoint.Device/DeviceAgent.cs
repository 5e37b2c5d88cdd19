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
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(30);
    public string? StateFolder { get; init; }
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// One terminal on the MQTT channel: connects with a fresh signed token, reports its state on every connect, sends
/// heartbeats, and reconnects with growing, jittered delays when the link drops.
/// </summary>
public sealed class DeviceAgent(AgentIdentity identity, AgentOptions options, TimeProvider? clock = null) : IAsyncDisposable
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ECDsa _key = LoadKey(identity.PrivateKeyPem);
    private IMqttClient? _client;

    public AgentState State { get; private set; } = default!;
    public string Sn => identity.Sn;
    public bool IsConnected => _client?.IsConnected == true;
    /// <summary>Times the broker refused or dropped us; for logs and tests.</summary>
    public int Failures { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        State = AgentState.LoadOrCreate(options.StateFolder, identity.Sn, _clock);
        State.Save(options.StateFolder);
        var backoff = TimeSpan.FromSeconds(1);
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
        if (_client?.IsConnected == true)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), CancellationToken.None);
        }
    }

    private async Task ConnectAsync(CancellationToken ct)
    {
        _client?.Dispose();
        _client = new MqttClientFactory().CreateMqttClient();
        var connect = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId(identity.Sn)
            .WithCredentials(identity.Sn, ConnectToken.Create(identity.Sn, _key, _clock.GetUtcNow()))
            .WithCleanSession()
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(60))
            .WithWillTopic(DeviceTopics.Up(identity.Sn, UplinkKind.Status))
            .WithWillPayload("{\"v\":1,\"online\":false}"u8.ToArray())
            .Build();
        var result = await _client.ConnectAsync(connect, ct);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"connect refused: {result.ResultCode}");
        }
        await _client.SubscribeAsync(DeviceTopics.DownFilter(identity.Sn), MqttQualityOfServiceLevel.AtLeastOnce, ct);
        await PublishAsync(UplinkKind.Telemetry, State.ToTelemetry(), ct);
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
        _key.Dispose();
        return ValueTask.CompletedTask;
    }
}
