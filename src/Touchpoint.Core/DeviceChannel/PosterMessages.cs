using System.Text.Json.Serialization;

namespace Touchpoint.Core.DeviceChannel;

/// <summary>
/// <c>down/posters</c>: the device's whole poster schedule at one revision (never a diff, so a device that missed one
/// catches up with the next). Windows are the device's wall-clock time; the device keeps the last schedule it got and
/// rotates it offline. docs/device-protocol.md.
/// </summary>
public sealed record PosterSchedule(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("zone")] string Zone,
    [property: JsonPropertyName("admin_mode")] bool AdminMode,
    [property: JsonPropertyName("clerk_url")] string? ClerkUrl,
    [property: JsonPropertyName("items")] IReadOnlyList<PosterItem> Items);

/// <summary>One placement in a schedule: the image by its SHA-256, where to fetch it (a signed address) and when it plays.</summary>
public sealed record PosterItem(
    [property: JsonPropertyName("poster_id")] long PosterId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("start")] DateTime Start,
    [property: JsonPropertyName("end")] DateTime? End,
    [property: JsonPropertyName("order")] int Order,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("url")] string Url);

/// <summary>
/// <c>up/screen</c>: what the idle screen shows — the schedule revision it runs, the poster on air (null: none) and
/// since when, and the images it still lacks. Sent when the device takes a schedule, on every connect, and each time
/// the poster on air changes.
/// </summary>
public sealed record ScreenReport(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("revision")] int Revision,
    [property: JsonPropertyName("poster_id")] long? PosterId,
    [property: JsonPropertyName("since")] DateTime? Since,
    [property: JsonPropertyName("missing")] IReadOnlyList<long>? Missing = null)
{
    public string? Problem() => Version != 1 ? $"screen version {Version} is not 1"
        : Revision < 0 ? "screen revision is negative"
        : Missing is { Count: > 100 } ? "screen report lists more than 100 missing posters" : null;
}
