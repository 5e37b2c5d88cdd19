using System.Text.RegularExpressions;
using Touchpoint.Core.Common;

namespace Touchpoint.Core.Devices;

/// <summary>
/// Serial numbers as the device shows them in system settings: 8–32 letters, digits or '-'.
/// Stored upper-case so that a lookup typed in lower case finds the device.
/// </summary>
public static partial class DeviceSn
{
    public const string ShapeMessage = "SN 格式不正确：应为 8–32 位字母、数字或连字符";

    public static bool TryNormalize(string? raw, out string sn)
    {
        sn = (raw ?? "").Trim().ToUpperInvariant();
        return Shape().IsMatch(sn);
    }

    public static string Normalize(string? raw) =>
        TryNormalize(raw, out var sn) ? sn : throw TouchpointException.Invalid($"{ShapeMessage}（{raw?.Trim()}）");

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]{6,30}[A-Z0-9]$")]
    private static partial Regex Shape();
}
