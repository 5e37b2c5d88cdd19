using Microsoft.Extensions.Caching.Memory;

namespace Touchpoint.Server.Infrastructure;

/// <summary>
/// The platform's own cache of app keys, tokens and device keys, bounded by entry count (each entry is one unit; past
/// the limit the least recently used go first). Separate from the framework's IMemoryCache, whose other users do
/// not size their entries.
/// </summary>
public sealed class BoundedCache() : MemoryCache(new MemoryCacheOptions { SizeLimit = Limit, CompactionPercentage = 0.1 })
{
    public const int Limit = 50_000;
}
