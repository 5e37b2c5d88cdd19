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
    /// <summary>What arrived since the last flush. Writers and the swap take <see cref="_gate"/>, so nothing can land in
    /// a buffer after the flush took it (the old two-step swap could split a report from its last-seen time).</summary>
    private sealed class Buffer
    {
        public readonly Dictionary<string, Telemetry> Telemetry = new(StringComparer.Ordinal);
        public readonly Dictionary<string, DateTime> Seen = new(StringComparer.Ordinal);
        public readonly Dictionary<string, ScreenReport> Screens = new(StringComparer.Ordinal);
        public readonly List<(string Sn, bool Online, string Reason, string? Endpoint, DateTime At)> Connections = [];
    }

    private readonly Lock _gate = new();
    private Buffer _buffer = new();
    private readonly ConcurrentDictionary<string, DateTime> _lastSeenWritten = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _flushing = new(1, 1);
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
        var now = clock.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            _buffer.Telemetry[sn] = report;
            _buffer.Seen[sn] = now;
        }
    }

    /// <summary>What the idle screen shows (up/screen): the latest report per device wins.</summary>
    public void Screen(string sn, ScreenReport report)
    {
        Interlocked.Increment(ref _messages);
        var now = clock.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            _buffer.Screens[sn] = report;
            _buffer.Seen[sn] = now;
        }
    }

    public void Heartbeat(string sn)
    {
        Interlocked.Increment(ref _messages);
        var now = clock.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            _buffer.Seen[sn] = now;
        }
    }

    public void Connection(string sn, bool online, string reason, string? endpoint)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            _buffer.Connections.Add((sn, online, reason, endpoint, now));
        }
    }

    /// <summary>
    /// Puts back what a failed flush did not write, under what arrived since: a newer report or last-seen time wins,
    /// and the older connection events go first so the history keeps its order.
    /// </summary>
    private void Requeue(Buffer failed, IReadOnlySet<string> sns)
    {
        lock (_gate)
        {
            foreach (var (sn, report) in failed.Telemetry.Where(p => sns.Contains(p.Key)))
            {
                _buffer.Telemetry.TryAdd(sn, report);
            }
            foreach (var (sn, report) in failed.Screens.Where(p => sns.Contains(p.Key)))
            {
                _buffer.Screens.TryAdd(sn, report);
            }
            foreach (var (sn, at) in failed.Seen.Where(p => sns.Contains(p.Key)))
            {
                if (!_buffer.Seen.TryGetValue(sn, out var newer) || newer < at)
                {
                    _buffer.Seen[sn] = at;
                }
            }
            _buffer.Connections.InsertRange(0, failed.Connections.Where(c => sns.Contains(c.Sn)));
            if (_buffer.Connections.Count > MaxQueuedConnections)
            {
                // A long outage in a reconnect storm: keep memory bounded, lose the oldest history first (state is
                // re-reported by the devices themselves).
                var excess = _buffer.Connections.Count - MaxQueuedConnections;
                _buffer.Connections.RemoveRange(0, excess);
                logger.LogWarning("Device ingest dropped the {Count} oldest connection events while the database is away", excess);
            }
        }
    }

    private const int MaxQueuedConnections = 200_000;

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

    /// <summary>
    /// Writes everything buffered so far; public for tests that must not wait for the timer. A batch the database
    /// refuses is put back and written by the next flush, never dropped.
    /// </summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            await FlushOnceAsync(ct);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task FlushOnceAsync(CancellationToken ct)
    {
        Buffer taken;
        lock (_gate)
        {
            taken = _buffer;
            _buffer = new Buffer();
        }
        var (telemetry, seen, connections) = (taken.Telemetry, taken.Seen, taken.Connections);
        // A heartbeat alone moves 最后在线时间 at most once per LastSeenResolutionSeconds: a fleet's heartbeats
        // would otherwise be one row update each.
        var resolution = TimeSpan.FromSeconds(options.Value.LastSeenResolutionSeconds);
        var connected = connections.Select(c => c.Sn).ToHashSet(StringComparer.Ordinal);
        var screens = taken.Screens;
        var sns = seen.Where(p => telemetry.ContainsKey(p.Key) || screens.ContainsKey(p.Key) || connected.Contains(p.Key)
                || !_lastSeenWritten.TryGetValue(p.Key, out var written) || p.Value - written >= resolution)
            .Select(p => p.Key).Concat(connected).Distinct().ToList();
        if (sns.Count == 0)
        {
            return;
        }
        var reportsMeanOnline = options.Value.Broker == DeviceBrokerMode.External;
        var connectionsBySn = connections.ToLookup(c => c.Sn, StringComparer.Ordinal); // a reconnect storm brings thousands
        var written = new HashSet<string>(StringComparer.Ordinal);
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        // Writes some devices; the failure, or null when they are written.
        async Task<Exception?> WriteAsync(string[] some)
        {
            try
            {
                await WriteBatchAsync(some, telemetry, screens, seen, connectionsBySn, reportsMeanOnline, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                return e;
            }
            foreach (var sn in some)
            {
                written.Add(sn);
                if (seen.TryGetValue(sn, out var at))
                {
                    _lastSeenWritten[sn] = at;
                }
            }
            return null;
        }
        HashSet<string> Unwritten() => sns.Where(sn => !written.Contains(sn) && !dropped.Contains(sn)).ToHashSet(StringComparer.Ordinal);

        Exception? outage = null;
        try
        {
            foreach (var batch in sns.Chunk(500))
            {
                if (await WriteAsync(batch) is not { } failure)
                {
                    continue;
                }
                // One device's data the database refuses must not stop the fleet's: write the batch one device at a
                // time. If none can be written the database is away; everything not written waits for the next flush.
                var bad = new List<string>();
                foreach (var sn in batch)
                {
                    if (await WriteAsync([sn]) is not null)
                    {
                        bad.Add(sn);
                    }
                }
                if (bad.Count == batch.Length)
                {
                    outage = failure;
                    break;
                }
                dropped.UnionWith(bad);
                logger.LogError(failure, "Device ingest dropped what {Count} device(s) reported because the database refuses it: {Sns}",
                    bad.Count, string.Join(", ", bad.Take(20)));
            }
        }
        catch (OperationCanceledException)
        {
            Requeue(taken, Unwritten());
            throw;
        }
        if (outage is not null)
        {
            var unwritten = Unwritten();
            Requeue(taken, unwritten);
            logger.LogError(outage, "Device ingest could not write {Count} device(s); they are kept and retried at the next flush", unwritten.Count);
        }
        if (written.Count == 0)
        {
            return;
        }
        FlushedHere?.Invoke(written);
        Flushed?.Invoke(written);
    }

    private async Task WriteBatchAsync(string[] batch, Dictionary<string, Telemetry> telemetry, Dictionary<string, ScreenReport> screens, Dictionary<string, DateTime> seen,
        ILookup<string, (string Sn, bool Online, string Reason, string? Endpoint, DateTime At)> connectionsBySn, bool reportsMeanOnline,
        CancellationToken ct)
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
            if (screens.TryGetValue(sn, out var screen))
            {
                device.ScreenRevision = screen.Revision;
                device.ScreenPosterId = screen.PosterId;
                device.ScreenSinceUtc = screen.Since is { } since ? DateTime.SpecifyKind(since.ToUniversalTime(), DateTimeKind.Utc) : null;
                device.ScreenReportedAtUtc = seen[sn];
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
}
