using Touchpoint.Core.Common;
using Touchpoint.Core.Devices;

namespace Touchpoint.Core.Tests;

public class DeviceSnTests
{
    [Theory]
    [InlineData("qt20260001", "QT20260001")]
    [InlineData("  ZD-2026-0001 ", "ZD-2026-0001")]
    [InlineData("12345678", "12345678")]
    public void NormalizesToUpperCaseWithoutSpaces(string raw, string expected) => Assert.Equal(expected, DeviceSn.Normalize(raw));

    [Theory]
    [InlineData("")]
    [InlineData("ABC123")]                          // too short
    [InlineData("QT2026 0001")]                     // inner space
    [InlineData("-QT20260001")]                     // leading dash
    [InlineData("QT20260001-")]
    [InlineData("设备20260001")]
    [InlineData("A123456789012345678901234567890123")] // 34 characters
    public void RejectsWrongShapesWithAChineseMessage(string raw)
    {
        var e = Assert.Throws<TouchpointException>(() => DeviceSn.Normalize(raw));
        Assert.Equal(FailureKind.Invalid, e.Kind);
        Assert.StartsWith("SN 格式不正确", e.Message);
    }
}
