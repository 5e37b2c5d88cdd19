using System.Collections.Concurrent;
using Touchpoint.Server.Distribution;

namespace Touchpoint.Server.Posters;

/// <summary>
/// The poster images devices are fetching, held in memory: a placement sends every device of a fleet to the same few
/// images at once, and each is content-addressed, so it never changes once stored. Serving 10,000 copies from memory
/// spares as many file opens and thread-pool reads (docs/benchmarks.md). Each image is read once however many devices
/// ask for it at the same moment; past the bound the least recently fetched are dropped.
/// </summary>
public sealed class PosterContentCache(ArtifactStore store)
{
    public const long MaxTotalBytes = 64L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, Lazy<Task<Entry?>>> _entries = new(StringComparer.Ordinal);
    private long _total;

    public sealed record Entry(byte[] Bytes, string ContentType)
    {
        public long LastUsed;
    }

    /// <summary>The image with its sniffed type; null when the store does not have it.</summary>
    public async Task<Entry?> GetAsync(string sha256, CancellationToken ct)
    {
        var load = _entries.GetOrAdd(sha256, key => new Lazy<Task<Entry?>>(() => LoadAsync(key)));
        Entry? entry;
        try
        {
            entry = await load.Value.WaitAsync(ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _entries.TryRemove(KeyValuePair.Create(sha256, load)); // the next request tries again
            throw;
        }
        if (entry is null)
        {
            _entries.TryRemove(KeyValuePair.Create(sha256, load)); // not stored (yet): nothing kept for it
            return null;
        }
        entry.LastUsed = Environment.TickCount64;
        return entry;
    }

    private async Task<Entry?> LoadAsync(string sha256)
    {
        if (!store.Exists(sha256))
        {
            return null;
        }
        var bytes = await File.ReadAllBytesAsync(store.PathOf(sha256));
        var entry = new Entry(bytes, PosterImages.Sniff(bytes) ?? "application/octet-stream") { LastUsed = Environment.TickCount64 };
        if (Interlocked.Add(ref _total, bytes.Length) > MaxTotalBytes)
        {
            Evict(sha256);
        }
        return entry;
    }

    /// <summary>Drops the least recently fetched images (never the one just read) until the rest fit.</summary>
    private void Evict(string keep)
    {
        var loaded = _entries.Where(e => e.Key != keep && e.Value.IsValueCreated && e.Value.Value.IsCompletedSuccessfully && e.Value.Value.Result is not null)
            .Select(e => (e.Key, e.Value, Entry: e.Value.Value.Result!)).OrderBy(e => e.Entry.LastUsed).ToList();
        foreach (var (sha, load, entry) in loaded)
        {
            if (Interlocked.Read(ref _total) <= MaxTotalBytes)
            {
                return;
            }
            if (_entries.TryRemove(KeyValuePair.Create(sha, load)))
            {
                Interlocked.Add(ref _total, -entry.Bytes.Length);
            }
        }
    }
}
