using Touchpoint.Core.Common;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Ownership;

namespace Touchpoint.Core.Tests;

public class OnboardingCsvTests
{
    [Fact]
    public void ReadsColumnsByHeaderNameInAnyOrderAndSkipsTheBom()
    {
        var rows = OnboardingCsv.Parse("\uFEFF型号,SN,设备类型\r\n蜻蜓 F4,qt10000001,刷脸设备\r\n\"碰一下, N1\",PY10000002,碰一下\r\n");
        Assert.Equal(2, rows.Count);
        Assert.Equal(("qt10000001", "刷脸设备", "蜻蜓 F4", 2), (rows[0].RawSn, rows[0].RawType, rows[0].Model, rows[0].Line));
        Assert.Equal("碰一下, N1", rows[1].Model);
        Assert.Equal(3, rows[1].Line);
    }

    [Theory]
    [InlineData("", "CSV 文件为空")]
    [InlineData("型号,备注\nA,B\n", "CSV 表头缺少必填列")]
    [InlineData("SN,设备类型\n", "CSV 中没有设备行")]
    [InlineData("SN,设备类型\n\"QT10000001,刷脸设备\n", "引号没有闭合")]
    public void MalformedFilesAreRejectedWithAReason(string text, string expected)
    {
        var e = Assert.Throws<TouchpointException>(() => OnboardingCsv.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void EachBadRowGetsItsOwnReasonWhileGoodRowsPass()
    {
        var rows = OnboardingCsv.Parse("SN,设备类型,出让类型\nQT10000001,刷脸设备,\nbad sn,碰一下,\nQT10000001,刷脸设备,\nPY10000002,洗衣机,\nPY10000003,碰一下,租赁\nPY10000004,碰一下,抵押\n");
        var checkedRows = OnboardingRowRules.Check(rows);
        Assert.Collection(checkedRows,
            r => Assert.True(r.Ok),
            r => Assert.StartsWith("SN 格式不正确", r.Error),
            r => Assert.Equal("本批次内 SN 重复", r.Error),
            r => Assert.StartsWith("设备类型无法识别", r.Error),
            r => { Assert.True(r.Ok); Assert.Equal(TransferType.Lease, r.TransferType); Assert.Equal(DeviceType.Tap, r.Type); },
            r => Assert.StartsWith("出让类型无法识别", r.Error));
    }
}
