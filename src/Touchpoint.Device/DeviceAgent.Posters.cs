using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Posters;

namespace Touchpoint.Device;

/// <summary>
/// The idle screen, as a terminal runs it: the last poster schedule it got is kept (and rotated offline); its images
/// are fetched by their signed addresses and checked against their SHA-256; the rotation is the platform's rule
/// (<see cref="PosterRotation"/>) on the device's own clock and zone; and the device says what is on air each time it
/// changes, when it takes a schedule and on every connect.
/// </summary>
public sealed partial class DeviceAgent
{
    private readonly SemaphoreSlim _posterSync = new(1, 1);
    private readonly Lock _airLock = new();
    private readonly List<(long? PosterId, DateTimeOffset At)> _airLog = [];
    // Images of the schedule still to fetch; also the lock for State.PosterImages, which the report and the rotation read.
    private readonly HashSet<string> _fetching = new(StringComparer.Ordinal);
    private long? _onAir;
    private DateTimeOffset? _onAirSince;

    /// <summary>The poster on air now (null: none), as last reported.</summary>
    public long? OnAirPosterId => _onAir;

    /// <summary>The QR code the idle screen shows while admin mode is off: the clerk's page for this device.</summary>
    public string? ClerkUrl => State.Posters?.ClerkUrl;

    /// <summary>True once the schedule this device runs lists the poster and its image is here (the report saying so follows).</summary>
    public bool Holds(long posterId)
    {
        lock (_fetching)
        {
            return State.Posters is { } schedule && schedule.Items.Any(i => i.PosterId == posterId && State.PosterImages.Contains(i.Sha256));
        }
    }

    /// <summary>Every change of the poster on air since the agent started, with its time (tests read the rotation from it).</summary>
    public IReadOnlyList<(long? PosterId, DateTimeOffset At)> AirLog
    {
        get { lock (_airLock) { return _airLog.ToList(); } }
    }

    private async Task TakePostersAsync(PosterSchedule schedule)
    {
        await _posterSync.WaitAsync();
        try
        {
            if (State.Posters is { } current && current.Revision > schedule.Revision)
            {
                return; // an older schedule overtaken on the way
            }
            List<PosterItem> wanted;
            lock (_fetching)
            {
                // On their way from now, before the schedule naming them is in place: a report meanwhile calls none missing.
                wanted = schedule.Items.Where(i => !State.PosterImages.Contains(i.Sha256)).DistinctBy(i => i.Sha256).ToList();
                _fetching.UnionWith(wanted.Select(i => i.Sha256));
                State.Posters = schedule;
            }
            State.Save(options.StateFolder);
            foreach (var item in wanted)
            {
                var fetched = await FetchPosterAsync(item);
                lock (_fetching)
                {
                    if (fetched)
                    {
                        State.PosterImages.Add(item.Sha256);
                    }
                    _fetching.Remove(item.Sha256); // held, or missing (failed): never both, never neither
                }
            }
            lock (_fetching)
            {
                State.Save(options.StateFolder);
            }
        }
        finally
        {
            _posterSync.Release();
        }
        await ReportScreenAsync(force: true);
    }

    private async Task<bool> FetchPosterAsync(PosterItem item)
    {
        byte[]? buffer = null;
        string? partial = null;
        try
        {
            using var response = await Http.GetAsync(item.Url, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }
            // Taken once the body is coming, not while waiting for a connection: thousands of simulated devices may be
            // queued behind the client's connection limit.
            buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            // Streamed through the hash (and to disk when kept) in pieces: a fleet of terminals, or a simulator running
            // thousands, never holds whole images in memory.
            await using var body = await response.Content.ReadAsStreamAsync();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            FileStream? file = null;
            if (options.StoreDownloads && options.StateFolder is { } folder)
            {
                var posters = Path.Combine(folder, "posters");
                Directory.CreateDirectory(posters);
                partial = Path.Combine(posters, item.Sha256 + ".part");
                file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1, useAsync: true);
            }
            await using (file)
            {
                int read;
                while ((read = await body.ReadAsync(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    if (file is not null)
                    {
                        await file.WriteAsync(buffer.AsMemory(0, read));
                    }
                }
            }
            if (Convert.ToHexStringLower(hash.GetHashAndReset()) != item.Sha256)
            {
                return false; // never shown: not the image the schedule names
            }
            if (partial is not null)
            {
                File.Move(partial, partial[..^".part".Length], overwrite: true);
                partial = null;
            }
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or UnauthorizedAccessException)
        {
            LastError = e.Message;
            return false;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            if (partial is not null)
            {
                try { File.Delete(partial); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            }
        }
    }

    /// <summary>The poster on air now by the rule, among those whose image the device holds.</summary>
    private long? Airing()
    {
        if (State.Posters is not { } schedule)
        {
            return null;
        }
        List<PosterItem> held;
        lock (_fetching)
        {
            held = schedule.Items.Where(i => State.PosterImages.Contains(i.Sha256)).ToList();
        }
        var placements = held
            .Select(i => new PosterPlacement(i.PosterId, i.Kind == "official" ? PosterKind.Official : PosterKind.Merchant, new PosterWindow(i.Start, i.End), i.Order, ""));
        return PosterRotation.At(placements, _clock.GetUtcNow().UtcDateTime, PosterRotation.Zone(schedule.Zone))?.Poster.PosterId;
    }

    /// <summary>Says what the screen shows when it changed (or always, with <paramref name="force"/>).</summary>
    private async Task ReportScreenAsync(bool force)
    {
        var airing = Airing();
        var now = _clock.GetUtcNow();
        bool changed;
        lock (_airLock)
        {
            changed = airing != _onAir || _onAirSince is null;
            if (changed)
            {
                _onAir = airing;
                _onAirSince = now;
                _airLog.Add((airing, now));
                if (_airLog.Count > 1000)
                {
                    _airLog.RemoveAt(0);
                }
            }
        }
        if ((!changed && !force) || !IsConnected || _rebooting)
        {
            return;
        }
        var schedule = State.Posters;
        // Missing: images neither here nor on their way (a fetch that failed, or a schedule kept across a restart),
        // for which the platform answers with fresh addresses. One being fetched now is not missing yet.
        List<long>? missing;
        lock (_fetching)
        {
            missing = schedule?.Items.Where(i => !State.PosterImages.Contains(i.Sha256) && !_fetching.Contains(i.Sha256))
                .Select(i => i.PosterId).Distinct().Take(100).ToList();
        }
        try
        {
            await PublishAsync(UplinkKind.Screen, new ScreenReport(1, schedule?.Revision ?? 0, _onAir, _onAirSince?.UtcDateTime,
                missing is { Count: > 0 } ? missing : null), CancellationToken.None);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException e)
        {
            LastError = e.Message; // the next connect reports again
        }
    }

    /// <summary>The rotation clock: wakes on each ten-second step of real time, as every device and the platform count them.</summary>
    private async Task RotateAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var now = _clock.GetUtcNow();
            var intoStep = now.ToUnixTimeMilliseconds() % (PosterRotation.SecondsEach * 1000);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(PosterRotation.SecondsEach * 1000 - intoStep + 5), _clock, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (State.Posters is not null)
            {
                await ReportScreenAsync(force: false);
            }
            PlayDueVoices();
        }
    }

    private void TakePostersSafely(byte[] payload)
    {
        try
        {
            if (JsonSerializer.Deserialize<PosterSchedule>(payload) is { Version: 1 } schedule)
            {
                _ = Task.Run(() => TakePostersAsync(schedule));
            }
        }
        catch (JsonException e)
        {
            LastError = e.Message;
        }
    }
}
