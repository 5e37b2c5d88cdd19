namespace Touchpoint.Core.Devices;

public enum DeviceType
{
    /// <summary>刷脸设备 (face-pay terminal, e.g. 蜻蜓).</summary>
    FacePay = 1,
    /// <summary>碰一下 tap-to-pay box.</summary>
    Tap = 2,
    /// <summary>收银机 (cash register with payment).</summary>
    CashRegister = 3,
    /// <summary>自助终端 / 点餐机 kiosk.</summary>
    Kiosk = 4,
    /// <summary>扫码盒子 / 扫码枪.</summary>
    ScanBox = 5,
}

public enum NetworkType
{
    Unknown = 0,
    Wifi = 1,
    Cellular = 2,
    Ethernet = 3,
}

/// <summary>What the device's software stack integrates (R8); drives which distributions it can take.</summary>
[Flags]
public enum DeviceCapabilities
{
    None = 0,
    IotSdk = 1,
    XPaaS = 2,
    Smile = 4,
}

/// <summary>出货渠道: how the device left the factory.</summary>
public enum ShipmentChannel
{
    /// <summary>厂商直销.</summary>
    ManufacturerDirect = 1,
    /// <summary>平台申购.</summary>
    PlatformPurchase = 2,
    /// <summary>服务商渠道.</summary>
    ServiceProviderChannel = 3,
}

/// <summary>出让类型: on what terms ownership was transferred.</summary>
public enum TransferType
{
    /// <summary>销售.</summary>
    Sale = 1,
    /// <summary>租赁.</summary>
    Lease = 2,
    /// <summary>赠送 / 投放.</summary>
    Gift = 3,
}
