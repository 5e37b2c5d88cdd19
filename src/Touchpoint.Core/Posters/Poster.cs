namespace Touchpoint.Core.Posters;

/// <summary>
/// An uploaded poster image in an account's library (电子海报). The image and its thumbnail are content-addressed
/// files (SHA-256) in the artifact store; the row holds what was checked on upload.
/// </summary>
public sealed class Poster
{
    public long Id { get; set; }
    /// <summary>The account whose library holds it: the merchant, the service provider that uploaded it, or the operator (official posters).</summary>
    public long OwnerId { get; set; }
    public required string Name { get; set; }
    public PosterKind Kind { get; set; }
    public required string ImageSha256 { get; set; }
    /// <summary>image/png, image/jpeg or image/webp, as read from the bytes (never from the file name).</summary>
    public required string ContentType { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public long SizeBytes { get; set; }
    /// <summary>A JPEG at most 240 px wide, made on upload.</summary>
    public required string ThumbnailSha256 { get; set; }
    /// <summary>The uploading account; null for a clerk's upload from the device page (the library is the device owner's).</summary>
    public long? CreatedById { get; set; }
    public DateTime CreatedAtUtc { get; set; }

    public const int NameMaxLength = 40;
}

/// <summary>One poster placed on one device: its window (the device's wall-clock time), order and how it got there.</summary>
public sealed class DevicePoster
{
    public long Id { get; set; }
    public long DeviceId { get; set; }
    public long PosterId { get; set; }
    public PosterKind Kind { get; set; }
    public DateTime WindowStart { get; set; }
    public DateTime? WindowEnd { get; set; }
    public int Order { get; set; }
    public PosterPath Path { get; set; }
    /// <summary>The placing account; null for a clerk who used a one-time code from the device.</summary>
    public long? PlacedById { get; set; }
    /// <summary>Who placed it as shown to the troubleshooting tool (the account's name, or the clerk's).</summary>
    public required string PlacedByName { get; set; }
    /// <summary>A clerk's phone number as the clerk typed it (accounts keep theirs on the account); shown masked.</summary>
    public string? ClerkPhone { get; set; }
    /// <summary>The 店员账号 that placed it; null for a clerk who used the device's one-time code.</summary>
    public long? ClerkId { get; set; }
    public long? CampaignId { get; set; }
    /// <summary>The gateway 投放计划 (<see cref="PosterAd"/>) it belongs to, when it was placed through ad.create.</summary>
    public long? AdId { get; set; }
    public DateTime PlacedAtUtc { get; set; }
    /// <summary>Set when the placement is taken down (cancelled by its placer or the owner, withdrawn by the platform).</summary>
    public DateTime? RemovedAtUtc { get; set; }
    public long? RemovedById { get; set; }
    public string? RemovedReason { get; set; }

    public PosterPlacement ToRule() => new(PosterId, Kind, new PosterWindow(WindowStart, WindowEnd), Order, PlacedByName);
}

public enum PosterSlotChange
{
    Placed,
    Removed,
    /// <summary>The platform withdrew an official poster, with a reason the merchants see.</summary>
    Withdrawn,
}

/// <summary>The history of a device's poster slots, every change with its actor and time (as Xibo's audit keeps it).</summary>
public sealed class PosterSlotEvent
{
    public long Id { get; set; }
    public long DeviceId { get; set; }
    public long PosterId { get; set; }
    public long PlacementId { get; set; }
    public PosterSlotChange Change { get; set; }
    public PosterPath Path { get; set; }
    public long? ActorId { get; set; }
    public required string ActorName { get; set; }
    public string? Detail { get; set; }
    public DateTime AtUtc { get; set; }
}

/// <summary>
/// 中心化海报: a platform campaign that puts one official poster on every device a filter matches (region, type, model,
/// or all), into the official slots. Merchants see it on their devices and cannot take it down; platform support
/// withdraws it with a reason the merchants concerned are shown.
/// </summary>
public sealed class PosterCampaign
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public long PosterId { get; set; }
    /// <summary>The filter as chosen: a region the last-online location contains, a device type, a model; all null = all devices.</summary>
    public string? Region { get; set; }
    public Devices.DeviceType? DeviceType { get; set; }
    public string? Model { get; set; }
    public DateTime WindowStart { get; set; }
    public DateTime? WindowEnd { get; set; }
    public int Placed { get; set; }
    /// <summary>Matched devices whose three official slots were taken for the window.</summary>
    public int SkippedFull { get; set; }
    public long CreatedById { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? WithdrawnAtUtc { get; set; }
    public long? WithdrawnById { get; set; }
    public string? WithdrawReason { get; set; }

    public const int ReasonMaxLength = 200;
}
