namespace Touchpoint.Core.Posters;

/// <summary>Whose poster it is: the merchant's own three slots, or the platform's three official ones.</summary>
public enum PosterKind
{
    Merchant,
    Official,
}

/// <summary>A poster placed on one device, as the slot rule and the rotation see it.</summary>
public sealed record PosterPlacement(long PosterId, PosterKind Kind, PosterWindow Window, int Order, string PlacedBy);

/// <summary>A device on which a new placement does not fit, with the placements that hold its slots then.</summary>
public sealed record SlotConflict(long DeviceId, DateTime At, IReadOnlyList<PosterPlacement> Holders);

/// <summary>
/// R17's rule: a device shows at most three merchant posters and three official posters at any moment. Windows that do
/// not overlap share a slot, so the check is the most placements of one kind on air together at any instant of the new
/// window, not a count of rows.
/// </summary>
public static class PosterSlots
{
    public const int PerKind = 3;

    /// <summary>
    /// The first moment of <paramref name="window"/> at which <paramref name="existing"/> already fills the three slots of
    /// <paramref name="kind"/>, with the holders on air then; null when the placement fits.
    /// </summary>
    public static (DateTime At, IReadOnlyList<PosterPlacement> Holders)? Full(IEnumerable<PosterPlacement> existing, PosterKind kind, PosterWindow window)
    {
        var rivals = existing.Where(p => p.Kind == kind && p.Window.Overlaps(window)).ToList();
        if (rivals.Count < PerKind)
        {
            return null;
        }
        // The number on air only changes where a window starts, so those instants (within the new window) are the only
        // ones to look at.
        var instants = rivals.Select(p => p.Window.Start).Append(window.Start)
            .Where(window.Contains).Distinct().Order();
        foreach (var at in instants)
        {
            var onAir = rivals.Where(p => p.Window.Contains(at)).ToList();
            if (onAir.Count >= PerKind)
            {
                return (at, onAir.OrderBy(p => p.Order).ThenBy(p => p.PosterId).ToList());
            }
        }
        return null;
    }

    /// <summary>Every device among <paramref name="devices"/> the placement does not fit on: the refusal names them all, before anything is written.</summary>
    public static IReadOnlyList<SlotConflict> Conflicts(IReadOnlyDictionary<long, IReadOnlyList<PosterPlacement>> devices, PosterKind kind, PosterWindow window) =>
        devices.OrderBy(d => d.Key)
            .Select(d => (d.Key, Full: Full(d.Value, kind, window)))
            .Where(d => d.Full is not null)
            .Select(d => new SlotConflict(d.Key, d.Full!.Value.At, d.Full.Value.Holders))
            .ToList();
}
