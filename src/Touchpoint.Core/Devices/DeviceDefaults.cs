namespace Touchpoint.Core.Devices;

/// <summary>What a freshly onboarded device of a type usually integrates, until its agent reports the truth.</summary>
public static class DeviceDefaults
{
    /// <summary>Where a terminal's local time is taken from until it reports its own zone (maintenance windows).</summary>
    public const string TimeZone = "Asia/Shanghai";

    public static DeviceCapabilities Capabilities(DeviceType type) => type switch
    {
        DeviceType.FacePay => DeviceCapabilities.IotSdk | DeviceCapabilities.Smile,
        DeviceType.Tap => DeviceCapabilities.IotSdk,
        DeviceType.CashRegister => DeviceCapabilities.IotSdk | DeviceCapabilities.XPaaS,
        DeviceType.Kiosk => DeviceCapabilities.IotSdk | DeviceCapabilities.XPaaS | DeviceCapabilities.Smile,
        _ => DeviceCapabilities.None,
    };

    /// <summary>Face-pay and kiosk terminals ship with Ant OS; others run stock Android.</summary>
    public static bool AntOs(DeviceType type) => type is DeviceType.FacePay or DeviceType.Kiosk;
}
