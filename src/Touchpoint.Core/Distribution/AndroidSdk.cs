using System.Globalization;

namespace Touchpoint.Core.Distribution;

/// <summary>Android release → API level, for minSdk checks against the Android version a device reports.</summary>
public static class AndroidSdk
{
    /// <summary>Null when the version is not recognised (the rule then refuses rather than guesses).</summary>
    public static int? ApiLevel(string? androidVersion)
    {
        if (string.IsNullOrWhiteSpace(androidVersion))
        {
            return null;
        }
        var v = androidVersion.Trim();
        if (v.Equals("12L", StringComparison.OrdinalIgnoreCase))
        {
            return 32;
        }
        var parts = v.Split('.');
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            return null;
        }
        var minor = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0;
        return (major, minor) switch
        {
            (5, 0) => 21,
            (5, _) => 22,
            (6, _) => 23,
            (7, 0) => 24,
            (7, _) => 25,
            (8, 0) => 26,
            (8, _) => 27,
            (9, _) => 28,
            (10, _) => 29,
            (11, _) => 30,
            (12, _) => 31,
            (13, _) => 33,
            (14, _) => 34,
            (15, _) => 35,
            (16, _) => 36,
            ( > 16, _) => 36 + (major - 16),
            _ => null,
        };
    }
}
