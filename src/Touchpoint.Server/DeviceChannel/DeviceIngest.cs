using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.DeviceChannel;

/// <summary>
/// Buffers what devices report and writes it in batches: the latest telemetry per device wins, heartbeats only move
/// the last-seen time, and connects/disconnects are written in order as the online history. A flush every
/// <see cref="DeviceChannelOptions.FlushSeconds"/> keeps database writes proportional to devices, not to messages.
/// </summary>
public sealed class DeviceIngest(IDbContextFactory<TouchpointDb> factory, IOptions<DeviceChannelOptions> options,
    TimeProvider clock, ILogger<DeviceIngest> logger) : BackgroundService
{
    private ConcurrentDictionary<string, Telemetry> _telemetry = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, DateTime> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Sn, bool Online, string Reason, string? Endpoint, DateTime At)> _connections = new();
    private readonly ConcurrentDictionary<string, DateTime> _lastSeenWritten = new(StringComparer.Ordinal);
    private long _messages;

    /// <summary>Messages accepted since start (for the benchmark and the health page).</summary>
    public long MessagesAccepted => Interlocked.Read(ref _messages);

    /// <summary>
    /// Raised with the SNs whose state changed, for pages that show devices live: after each flush here, and when
    /// another node says it flushed (behind an external broker, any node may have heard a device).
    /// </summary>
    public event Action<IReadOnlyCollection<string>>? Flushed;

    /// <summary>Raised after each flush on this node only: what the other nodes are told.</summary>
    public event Action<IReadOnlyCollection<string>>? FlushedHere;

    /// <summary>Another node wrote these devices' state.</summary>
    public void FlushedElsewhere(IReadOnlyCollection<string> sns) => Flushed?.Invoke(sns);

    public void Telemetry(string sn, Telemetry report)
    {
        Interlocked.Increment(ref _messages);
        _telemetry[sn] = report;
        _seen[sn] = clock.GetUtcNow().UtcDateTime;
    }

    public void Heartbeat(string sn)
    {
        Interlocked.Increment(ref _messages);
        _seen[sn] = clock.GetUtcNow().UtcDateTime;
    }

    public void Connection(string sn, bool online, string reason, string? endpoint) =>
        _connections.Enqueue((sn, online, reason, endpoint, clock.GetUtcNow().UtcDateTime));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.FlushSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushSafelyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        await FlushSafelyAsync(CancellationToken.None); // what arrived before shutdown
    }

    private async Task FlushSafelyAsync(CancellationToken ct)
    {
        try
        {
            await FlushAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Device ingest flush failed");
        }
    }

    /// <summary>Writes everything buffered so far; public for tests that must not wait for the timer.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        var telemetry = Interlocked.Exchange(ref _telemetry, new(StringComparer.Ordinal));
        var seen = Interlocked.Exchange(ref _seen, new(StringComparer.Ordinal));
        var connections = new List<(string Sn, bool Online, string Reason, string? Endpoint, DateTime At)>();
        while (_connections.TryDequeue(out var c))
        {
            connections.Add(c);
        }
        // A heartbeat alone moves 最后在线时间 at most once per LastSeenResolutionSeconds: a fleet's heartbeats
        // would otherwise be one row update each.
        var resolution = TimeSpan.FromSeconds(options.Value.LastSeenResolutionSeconds);
        var connected = connections.Select(c => c.Sn).ToHashSet(StringComparer.Ordinal);
        var sns = seen.Where(p => telemetry.ContainsKey(p.Key) || connected.Contains(p.Key)
                || !_lastSeenWritten.TryGetValue(p.Key, out var written) || p.Value - written >= resolution)
            .Select(p => p.Key).Concat(connected).Distinct().ToList();
        foreach (var sn in sns)
        {
            if (seen.TryGetValue(sn, out var at))
            {
                _lastSeenWritten[sn] = at;
            }
        }
        if (sns.Count == 0)
        {
            return;
        }
        var reportsMeanOnline = options.Value.Broker == DeviceBrokerMode.External;
        var connectionsBySn = connections.ToLookup(c => c.Sn, StringComparer.Ordinal); // a reconnect storm brings thousands
        foreach (var batch in sns.Chunk(500))
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var needApps = batch.Where(sn => telemetry.TryGetValue(sn, out var t) && t.Apps is not null).ToHashSet();
            var devices = await db.Devices.Where(d => batch.Contains(d.Sn)).ToDictionaryAsync(d => d.Sn, ct);
            if (needApps.Count > 0)
            {
                var ids = devices.Values.Where(d => needApps.Contains(d.Sn)).Select(d => d.Id).ToList();
                await db.DeviceApps.Where(a => ids.Contains(a.DeviceId)).LoadAsync(ct);
            }
            foreach (var sn in batch)
            {
                if (!devices.TryGetValue(sn, out var device))
                {
                    continue;
                }
                if (telemetry.TryGetValue(sn, out var report))
                {
                    if (report.Apps is not null)
                    {
                        db.DeviceApps.RemoveRange(device.Apps);
                    }
                    TelemetryRules.Apply(device, report, seen[sn]);
                }
                else if (seen.TryGetValue(sn, out var at))
                {
                    device.LastOnlineAtUtc = at;
                }
                if (reportsMeanOnline && !device.IsOnline && seen.TryGetValue(sn, out var heard) && !connectionsBySn[sn].Any())
                {
                    // Behind an external broker the platform hears of connections only from status messages; a device
                    // that reports is there even if its "online" went to a node that was down, or a timeout marked it gone.
                    device.IsOnline = true;
                    db.DeviceConnectionEvents.Add(new DeviceConnectionEvent { DeviceId = device.Id, AtUtc = heard, Online = true, Reason = ConnectionReason.Reported });
                }
                foreach (var c in connectionsBySn[sn])
                {
                    if (reportsMeanOnline && device.IsOnline == c.Online)
                    {
                        // Behind an external broker, news of a connection can come twice (a report, then its status
                        // through another node): the history records changes only.
                        continue;
                    }
                    device.IsOnline = c.Online;
                    if (c.Online)
                    {
                        device.LastOnlineAtUtc = c.At;
                    }
                    db.DeviceConnectionEvents.Add(new DeviceConnectionEvent { DeviceId = device.Id, AtUtc = c.At, Online = c.Online, Reason = c.Reason, Endpoint = c.Endpoint });
                }
            }
            await db.SaveChangesAsync(ct);
        }
        var changed = sns.ToHashSet(StringComparer.Ordinal); // pages test membership per row
        FlushedHere?.Invoke(changed);
        Flushed?.Invoke(changed);
    }
}
