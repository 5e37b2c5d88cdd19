using Bunit;
using Touchpoint.Core.Devices;
using Touchpoint.Server.Components.Shared;
using Touchpoint.Server.Devices;

namespace Touchpoint.Server.Tests.Components;

/// <summary>The device-group fields of 电子海报, 语音播报 and 屏幕墙: what is typed and chosen comes back as one filter.</summary>
public sealed class DeviceFilterFieldsTests : BunitContext
{
    [Fact]
    public void RegionTypeAndModelComeBackAsOneFilterAndEmptyTypeMeansAll()
    {
        DeviceFilter? seen = null;
        var cut = Render<DeviceFilterFields>(p => p
            .Add(x => x.Filter, new DeviceFilter())
            .Add(x => x.TestId, "g")
            .Add(x => x.FilterChanged, (DeviceFilter f) => seen = f));

        cut.Find("[data-testid=g-region]").Change("杭州");
        cut.Find("[data-testid=g-type]").Change(nameof(DeviceType.Tap));
        cut.Find("[data-testid=g-model]").Change("T2");
        Assert.Equal(new DeviceFilter("杭州", DeviceType.Tap, "T2"), seen);
        Assert.Equal("地区含“杭州”，类型 碰一下，型号 T2", seen!.Describe());
        // Every type is offered, with its Chinese name, after 全部.
        Assert.Equal(["全部", .. Enum.GetValues<DeviceType>().Select(t => t.Chinese())], cut.FindAll("[data-testid=g-type] option").Select(o => o.TextContent));

        cut.Find("[data-testid=g-type]").Change("");
        Assert.Null(seen!.Type);
    }
}
