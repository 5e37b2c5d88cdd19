using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Posters;
using Touchpoint.Server.DeviceChannel;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Posters;

/// <summary>
/// Gets each device's poster schedule to it: the whole schedule at the device's current revision, sent when the
/// posters change and again whenever the device reports a different revision (it was offline, or missed a message).
/// The device's report is the only proof a change reached the screen.
/// </summary>
public sealed class PosterDelivery(IDbContextFactory<TouchpointDb> factory, IDeviceDownlink downlink, PosterTokens tokens,
    DeviceIngest ingest, ILogger<PosterDelivery> logger)
{
    // The revision this node last knew per device: a report at that revision needs no database read (a rotating fleet
    // reports every ten seconds). Another node's change reaches the device, whose next report is then different.
    private readonly ConcurrentDictionary<string, int> _known = new(StringComparer.Ordinal);

    /// <summary>Sends the current schedule to each of these devices that is online; the others get it when they report.</summary>
    public async Task PublishAsync(IReadOnlyCollection<long> deviceIds, CancellationToken ct)
    {
        foreach (var chunk in deviceIds.Chunk(1000))
        {
            await using (var db = await factory.CreateDbContextAsync(ct))
            {
                // Also for devices not sent to now (offline, or not yet marked online): their next report, at the old
                // revision, must not look current.
                foreach (var d in await db.Devices.AsNoTracking().Where(d => EF.Parameter(chunk).Contains(d.Id))
                             .Select(d => new { d.Sn, d.PosterRevision }).ToListAsync(ct))
                {
                    _known[d.Sn] = d.PosterRevision;
                }
            }
            foreach (var (sn, schedule) in await SchedulesAsync(chunk, onlineOnly: true, ct))
            {
                await SendAsync(sn, schedule, ct);
            }
        }
    }

    /// <summary>What the device says it shows: recorded, and answered with the schedule when its revision is not the current one.</summary>
    public async Task ReportedAsync(string sn, ScreenReport report, CancellationToken ct)
    {
        ingest.Screen(sn, report);
        _reported[sn] = report.Revision;
        if (_known.TryGetValue(sn, out var known) && known == report.Revision && report.Missing is not { Count: > 0 })
        {
            return;
        }
        if (OnItsWay(report.Revision, known, _sent.TryGetValue(sn, out var sent) ? sent : null, Environment.TickCount64))
        {
            // The schedule at the current revision went out moments ago and is on its way (a fleet reports on the same
            // ten-second step while a large placement is still being sent): answering would send it a second time.
            // A device may not report again for long (one poster never changes on air), so whether it arrived is
            // checked once that time is up.
            if (_rechecks.TryAdd(sn, 0))
            {
                _ = RecheckAsync(sn);
            }
            return;
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await db.Devices.AsNoTracking().Where(d => d.Sn == sn).Select(d => new { d.Id, d.PosterRevision }).SingleOrDefaultAsync(ct);
        if (device is null)
        {
            return;
        }
        _known[sn] = device.PosterRevision;
        var stale = device.PosterRevision != report.Revision;
        if (!stale && report.Missing is { Count: > 0 } && !ResendMissing(sn))
        {
            return; // fresh addresses went out moments ago: a fetch that keeps failing is not answered in a loop
        }
        if (stale || report.Missing is { Count: > 0 })
        {
            // Missing images: the addresses it had may have expired while it was offline; fresh ones go with the schedule.
            await SendOneAsync(device.Id, ct);
        }
    }

    private readonly ConcurrentDictionary<string, byte> _rechecks = new(StringComparer.Ordinal);

    // The revision each device last reported to this node.
    private readonly ConcurrentDictionary<string, int> _reported = new(StringComparer.Ordinal);

    /// <summary>
    /// After <see cref="InFlight"/>: when the device's last report in the database (whichever node took it) is still
    /// behind its revision, the schedule goes out again.
    /// </summary>
    private async Task RecheckAsync(string sn)
    {
        try
        {
            await Task.Delay(InFlight + TimeSpan.FromSeconds(1));
            if (_reported.TryGetValue(sn, out var reported) && _known.TryGetValue(sn, out var known) && reported >= known)
            {
                return; // it told this node it runs the current schedule: no need to ask the database
            }
            await using var db = await factory.CreateDbContextAsync();
            var device = await db.Devices.AsNoTracking().Where(d => d.Sn == sn)
                .Select(d => new { d.Id, d.PosterRevision, d.ScreenRevision, d.IsOnline }).SingleOrDefaultAsync();
            if (device is { IsOnline: true } && device.ScreenRevision != device.PosterRevision)
            {
                await SendOneAsync(device.Id, CancellationToken.None);
            }
        }
        catch (ObjectDisposedException)
        {
            // the host is stopping
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Poster schedule recheck for {Sn} failed; its next report asks again", sn);
        }
        finally
        {
            _rechecks.TryRemove(sn, out _);
        }
    }

    /// <summary>The device (re)subscribed: nothing sent before counts as on its way any more.</summary>
    public void Listening(string sn) => _sent.TryRemove(sn, out _);

    private readonly ConcurrentDictionary<string, DateTime> _resent = new(StringComparer.Ordinal);

    // The last schedule sent to each device, by revision and when (Environment.TickCount64).
    private readonly ConcurrentDictionary<string, (int Revision, long At)> _sent = new(StringComparer.Ordinal);

    /// <summary>
    /// True when a report behind the current revision needs no answer: that revision's schedule was sent to the device
    /// less than <see cref="InFlight"/> ago (and it has not reconnected since, which forgets the send).
    /// </summary>
    internal static bool OnItsWay(int reported, int known, (int Revision, long At)? sent, long now) =>
        reported < known && sent is { } s && s.Revision == known && now - s.At < (long)InFlight.TotalMilliseconds;

    /// <summary>How long a schedule just sent counts as on its way; a report still behind it after that is answered again.</summary>
    internal static readonly TimeSpan InFlight = TimeSpan.FromSeconds(10);

    /// <summary>At most one resend for missing images per device every 30 seconds.</summary>
    private bool ResendMissing(string sn)
    {
        var now = DateTime.UtcNow;
        if (_resent.TryGetValue(sn, out var last) && now - last < TimeSpan.FromSeconds(30))
        {
            return false;
        }
        _resent[sn] = now;
        return true;
    }

    /// <summary>One device's schedule, with fresh image addresses, whether or not it is marked online.</summary>
    private async Task SendOneAsync(long deviceId, CancellationToken ct)
    {
        foreach (var (sn, schedule) in await SchedulesAsync([deviceId], onlineOnly: false, ct))
        {
            await SendAsync(sn, schedule, ct);
        }
    }

    private async Task SendAsync(string sn, PosterSchedule schedule, CancellationToken ct)
    {
        _known[sn] = schedule.Revision;
        if (!downlink.IsReady)
        {
            return; // the device's next report after the broker is back asks again
        }
        try
        {
            await downlink.PublishAsync(DeviceTopics.Down(sn, "posters"), JsonSerializer.SerializeToUtf8Bytes(schedule), ct);
            _sent[sn] = (schedule.Revision, Environment.TickCount64);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Poster schedule for {Sn} not sent; the device's next report asks again", sn);
        }
    }

    /// <summary>The schedule of each device: its live placements with signed image addresses, its zone and mode.</summary>
    internal async Task<List<(string Sn, PosterSchedule Schedule)>> SchedulesAsync(IReadOnlyCollection<long> deviceIds, bool onlineOnly, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var devices = await db.Devices.AsNoTracking().Where(d => EF.Parameter(deviceIds).Contains(d.Id) && (!onlineOnly || d.IsOnline))
            .Select(d => new { d.Id, d.Sn, d.TimeZone, d.PosterAdminMode, d.PosterRevision }).ToListAsync(ct);
        var ids = devices.Select(d => d.Id).ToList();
        var items = (await (from p in db.DevicePosters.AsNoTracking()
                            join poster in db.Posters.AsNoTracking() on p.PosterId equals poster.Id
                            where EF.Parameter(ids).Contains(p.DeviceId) && p.RemovedAtUtc == null
                            select new { p.DeviceId, p.PosterId, poster.Name, p.Kind, p.WindowStart, p.WindowEnd, p.Order, poster.ImageSha256, poster.SizeBytes })
                .ToListAsync(ct)).ToLookup(i => i.DeviceId);
        return devices.Select(d => (d.Sn, new PosterSchedule(1, d.PosterRevision, PosterRotation.Zone(d.TimeZone).Id, d.PosterAdminMode,
            d.PosterAdminMode ? null : tokens.ClerkUrl(d.Sn, d.Id, d.PosterRevision),
            items[d.Id].OrderBy(i => i.Kind).ThenBy(i => i.Order).ThenBy(i => i.PosterId)
                .Select(i => new PosterItem(i.PosterId, i.Name, i.Kind == PosterKind.Merchant ? "merchant" : "official", i.WindowStart, i.WindowEnd,
                    i.Order, i.ImageSha256, i.SizeBytes, tokens.ContentUrl(d.Id, i.ImageSha256)))
                .ToList()))).ToList();
    }
}
