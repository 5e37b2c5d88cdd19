namespace Touchpoint.Core.Common;

public static class OptionalText
{
    /// <summary>A free-text field as stored: trimmed, null when blank, cut to the column's length.</summary>
    public static string? Clip(string? value, int maxLength)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed[..Math.Min(maxLength, trimmed.Length)];
    }
}
