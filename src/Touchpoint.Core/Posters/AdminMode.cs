namespace Touchpoint.Core.Posters;

/// <summary>How a poster reached a device: the placer and the route are what the troubleshooting tool reports (R20).</summary>
public enum PosterPath
{
    /// <summary>Batch placement in the console (管理员模式 / 批量投放).</summary>
    Console,
    /// <summary>A clerk at the store, from the phone page the device's QR code opens (店员投放).</summary>
    Clerk,
    /// <summary>The Alipay-compatible gateway (alipay.commerce.iot.advertiser.ad.create), a batch route like the console.</summary>
    Gateway,
    /// <summary>A platform campaign onto the official slots (中心化海报).</summary>
    Campaign,
}

/// <summary>
/// R18: a device is in clerk mode until its owner turns admin mode on. In clerk mode only the store's clerks place the
/// merchant's posters, from the device; in admin mode only batch placement does (console or gateway). Campaigns use the
/// official slots and are governed by neither.
/// </summary>
public static class AdminMode
{
    /// <summary>Why <paramref name="path"/> may not place a merchant poster on a device in this mode; null when it may.</summary>
    public static string? Refusal(bool adminMode, PosterPath path) => (adminMode, path) switch
    {
        (_, PosterPath.Campaign) => null,
        (false, PosterPath.Console or PosterPath.Gateway) =>
            "该设备未开启管理员模式：海报由门店店员扫描设备屏幕上的二维码投放；如需在控制台批量投放，请设备所有者先为该设备开启管理员模式",
        (true, PosterPath.Clerk) =>
            "该设备已开启管理员模式，海报由管理员在控制台统一投放，店员不能再从手机投放；如需店员投放，请联系设备所有者关闭管理员模式",
        _ => null,
    };

    /// <summary>What turning admin mode off does to the posters placed in admin mode, said before the owner confirms.</summary>
    public static string TurningOff(int consolePlaced) => consolePlaced == 0
        ? "关闭后，该设备的海报改由门店店员扫码投放。"
        : $"关闭后，该设备的海报改由门店店员扫码投放；管理员已投放的 {consolePlaced} 张海报继续按原时段播放，到期后不再续投；如需提前撤下，请在设备详情 > 屏幕中撤下。";
}
