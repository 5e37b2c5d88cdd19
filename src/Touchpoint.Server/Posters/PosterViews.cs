namespace Touchpoint.Server.Posters;

/// <summary>A poster of the library as the console lists it.</summary>
public sealed record PosterView(long Id, string Name, string Kind, string ContentType, int Width, int Height, long SizeBytes,
    string ThumbnailUrl, DateTime CreatedAtUtc, int LivePlacements);

/// <summary>
/// Where and when to place a poster: the devices by SN (picked, from a filter, or from a CSV), the window in each
/// device's own wall-clock time (null start: now; null end: until taken down) and the place in the rotation (1 first).
/// </summary>
public sealed record PlacementRequest(long PosterId, IReadOnlyList<string>? Sns, DateTime? Start, DateTime? End, int? Order);

/// <summary>A placement holding a slot: which poster, who placed it and how.</summary>
public sealed record SlotHolder(long PosterId, string PosterName, string PlacedBy, string Path);

/// <summary>A device on which the new poster does not fit, from <see cref="At"/> (device time), with the slot holders then.</summary>
public sealed record DeviceConflict(string Sn, DateTime At, IReadOnlyList<SlotHolder> Holders);

/// <summary>The answer before confirming: how many devices, and every reason the placement would be refused.</summary>
public sealed record PlacementCheck(int Devices, IReadOnlyList<DeviceConflict> Conflicts, IReadOnlyList<string> NotInAdminMode,
    IReadOnlyList<string> AlreadyPlaced, string? Refusal)
{
    public bool Fits => Refusal is null;
}

public sealed record PlacementResult(int Devices, IReadOnlyList<string> Sns);

/// <summary>A live placement on a device.</summary>
public sealed record PlacementView(long Id, string Sn, long PosterId, string PosterName, string Kind, DateTime Start, DateTime? End, int Order,
    string Path, string PathName, string PlacedBy, DateTime PlacedAtUtc, string ThumbnailUrl);

/// <summary>A device's poster mode and what turning admin mode off would do.</summary>
public sealed record PosterModeView(string Sn, bool AdminMode, int ConsolePlaced, string TurningOffNotice);

/// <summary>A device in the placement picker.</summary>
public sealed record PlaceableDevice(string Sn, string Model, bool Mine, bool AdminMode, bool Online);
