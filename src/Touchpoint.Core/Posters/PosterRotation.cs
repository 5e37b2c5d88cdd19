namespace Touchpoint.Core.Posters;

/// <summary>What a device's idle screen shows at one moment: the poster on air, the one after it, and when it changes.</summary>
public sealed record OnAir(PosterPlacement Poster, PosterPlacement Next, int SecondsLeft, IReadOnlyList<PosterPlacement> Cycle);

/// <summary>
/// The idle rotation (R17): the merchant's posters in their order, then the official ones in theirs, ten seconds each,
/// round and round. The cycle is anchored to whole ten-second steps of real time, so the platform and a device that
/// agree on the clock agree on what is on air without asking each other.
/// </summary>
public static class PosterRotation
{
    public const int SecondsEach = 10;

    /// <summary>The posters on air at <paramref name="local"/> (device wall-clock time), in rotation order, three of each kind at most.</summary>
    public static IReadOnlyList<PosterPlacement> Cycle(IEnumerable<PosterPlacement> placements, DateTime local)
    {
        var active = placements.Where(p => p.Window.Contains(local)).ToList();
        return Of(active, PosterKind.Merchant).Concat(Of(active, PosterKind.Official)).ToList();

        static IEnumerable<PosterPlacement> Of(List<PosterPlacement> active, PosterKind kind) =>
            active.Where(p => p.Kind == kind).OrderBy(p => p.Order).ThenBy(p => p.PosterId).Take(PosterSlots.PerKind);
    }

    /// <summary>What is on air at <paramref name="utc"/> on a device in <paramref name="zone"/>; null when nothing is placed.</summary>
    public static OnAir? At(IEnumerable<PosterPlacement> placements, DateTime utc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
        var cycle = Cycle(placements, local);
        if (cycle.Count == 0)
        {
            return null;
        }
        var seconds = (long)Math.Floor((utc - DateTime.UnixEpoch).TotalSeconds);
        var step = seconds / SecondsEach;
        var index = (int)(step % cycle.Count);
        return new OnAir(cycle[index], cycle[(index + 1) % cycle.Count], (int)(SecondsEach - seconds % SecondsEach), cycle);
    }

    /// <summary>A device's zone by its IANA id, China time when it has none or an unknown one.</summary>
    public static TimeZoneInfo Zone(string? id)
    {
        if (!string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return zone;
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById("Asia/Shanghai", out var china) ? china
            : TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");
    }
}
