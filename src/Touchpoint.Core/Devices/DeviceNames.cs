namespace Touchpoint.Core.Devices;

/// <summary>The console's Chinese names for device enums; one place so lists, details and exports agree.</summary>
public static class DeviceNames
{
    public static string Chinese(this DeviceType type) => type switch
    {
        DeviceType.FacePay => "刷脸设备",
        DeviceType.Tap => "碰一下",
        DeviceType.CashRegister => "收银机",
        DeviceType.Kiosk => "自助终端",
        DeviceType.ScanBox => "扫码盒子",
        _ => type.ToString(),
    };

    public static string Chinese(this NetworkType type) => type switch
    {
        NetworkType.Wifi => "Wi-Fi",
        NetworkType.Cellular => "流量卡",
        NetworkType.Ethernet => "有线网络",
        _ => "未知",
    };

    public static string Chinese(this ShipmentChannel channel) => channel switch
    {
        ShipmentChannel.ManufacturerDirect => "厂商直销",
        ShipmentChannel.PlatformPurchase => "平台申购",
        ShipmentChannel.ServiceProviderChannel => "服务商渠道",
        _ => channel.ToString(),
    };

    public static string Chinese(this TransferType type) => type switch
    {
        TransferType.Sale => "销售",
        TransferType.Lease => "租赁",
        TransferType.Gift => "赠送",
        _ => type.ToString(),
    };

    public static string Chinese(this DeviceCapabilities caps)
    {
        if (caps == DeviceCapabilities.None)
        {
            return "无";
        }
        var parts = new List<string>(3);
        if (caps.HasFlag(DeviceCapabilities.IotSdk)) parts.Add("IoT SDK");
        if (caps.HasFlag(DeviceCapabilities.XPaaS)) parts.Add("xPaaS");
        if (caps.HasFlag(DeviceCapabilities.Smile)) parts.Add("Smile");
        return string.Join(" + ", parts);
    }

    public static bool TryParseType(string? chineseOrName, out DeviceType type)
    {
        foreach (var candidate in Enum.GetValues<DeviceType>())
        {
            if (string.Equals(candidate.Chinese(), chineseOrName?.Trim(), StringComparison.Ordinal) ||
                string.Equals(candidate.ToString(), chineseOrName?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }
}
