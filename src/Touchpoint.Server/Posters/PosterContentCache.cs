using System.Collections.Concurrent;
using Touchpoint.Server.Distribution;

namespace Touchpoint.Server.Posters;

/// <summary>
/// The poster images devices are fetching, held in memory: a placement sends every device of a fleet to the same few
/// images at once, and each is content-addressed, so it never changes once stored. Serving 10,000 copies from memory
/// spares as many file opens and thread-pool reads. Bounded; past the bound an image is served from its file.
/// </summary>
public sealed class PosterContentCache(ArtifactStore store)
{
    public const long MaxTotalBytes = 64L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _total;

    public sealed record Entry(byte[] Bytes, string ContentType)
    {
        public long LastUsed;
    }

    /// <summary>The image with its sniffed type, from memory or read once from the store; null when the store does not have it.</summary>
    public async Task<Entry?> GetAsync(string sha256, CancellationToken ct)
    {
        if (_entries.TryGetValue(sha256, out var hit))
        {
            hit.LastUsed = Environment.TickCount64;
            return hit;
        }
        if (!store.Exists(sha256))
        {
            return null;
        }
        var bytes = await File.ReadAllBytesAsync(store.PathOf(sha256), ct);
        var entry = new Entry(bytes, PosterImages.Sniff(bytes) ?? "application/octet-stream") { LastUsed = Environment.TickCount64 };
        if (bytes.Length > MaxTotalBytes / 4)
        {
            return entry; // served, not kept: it would crowd out the rest
        }
        if (_entries.TryAdd(sha256, entry) && Interlocked.Add(ref _total, bytes.Length) > MaxTotalBytes)
        {
            Evict();
        }
        return _entries.GetValueOrDefault(sha256) ?? entry;
    }

    /// <summary>Drops the least recently fetched images until the rest fit.</summary>
    private void Evict()
    {
        foreach (var (sha, entry) in _entries.OrderBy(e => e.Value.LastUsed).ToList())
        {
            if (Interlocked.Read(ref _total) <= MaxTotalBytes)
            {
                return;
            }
            if (_entries.TryRemove(sha, out _))
            {
                Interlocked.Add(ref _total, -entry.Bytes.Length);
            }
        }
    }
}
