namespace Touchpoint.Core.Posters;

/// <summary>
/// When a poster is on air, in the device's own wall-clock time: 00:00 on 24 December means midnight where the terminal
/// stands, whatever the server's zone. Half-open, [Start, End); a null end means until withdrawn. Storing local wall time
/// (not an instant) is what keeps a campaign for "Christmas Eve" on Christmas Eve in every zone, the class of bug Xibo's
/// users report when schedules are stored as one instant and read in another zone.
/// </summary>
public readonly record struct PosterWindow(DateTime Start, DateTime? End)
{
    public static PosterWindow Always { get; } = new(DateTime.MinValue, null);

    /// <summary>
    /// The start of a window placed "now": a fixed early date rather than the placing moment, because "now" differs in
    /// each device's zone (and DateTime.MinValue does not survive every database).
    /// </summary>
    public static readonly DateTime Immediately = new(2000, 1, 1);

    public bool StartsImmediately => Start <= Immediately;

    /// <summary>"立即" or the start as the console writes it.</summary>
    public static string Describe(DateTime start) => start <= Immediately ? "立即" : start.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public bool Contains(DateTime local) => local >= Start && (End is null || local < End);

    public bool Overlaps(PosterWindow other) =>
        (other.End is null || Start < other.End) && (End is null || other.Start < End);

    /// <summary>A window must end after it starts.</summary>
    public bool IsValid => End is null || End > Start;
}
