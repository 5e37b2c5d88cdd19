using Touchpoint.Core.Accounts;

namespace Touchpoint.Server.Components.Layout;

public sealed record MenuLink(string Title, string Href, string Icon);

public sealed record MenuGroup(string Title, string Icon, IReadOnlyList<MenuLink> Links);

/// <summary>
/// The portals of R6: each role sees its own platform name and menu, and breadcrumbs follow the seed's paths
/// (商家平台: 运营中心 > 设备运营 > 设备管理; 服务商平台: 服务商运营 > 设备运营 > 设备管理). Hiding a menu entry is
/// only convenience: every service checks permissions itself.
/// </summary>
public static class PortalMenu
{
    public static string PortalName(AccountRole role) => role switch
    {
        AccountRole.Merchant => "商家平台",
        AccountRole.ServiceProvider => "服务商平台",
        AccountRole.Manufacturer => "厂商平台",
        _ => "平台运营台",
    };

    /// <summary>The breadcrumb trail above "设备管理" for this role.</summary>
    public static string[] DeviceManagementPath(AccountRole role) => role switch
    {
        AccountRole.Merchant => ["运营中心", "设备运营", "设备管理"],
        AccountRole.ServiceProvider => ["服务商运营", "设备运营", "设备管理"],
        AccountRole.Manufacturer => ["厂商中心"],
        _ => ["平台运营", "设备管理"],
    };

    private static readonly MenuGroup OpenPlatform = new("开放平台", "api",
    [
        new("我的应用", "/open/apps", "appstore-add"),
        new("沙箱应用", "/open/sandbox", "experiment"),
        new("沙箱账号", "/ops/members", "user"),
    ]);

    private static readonly MenuLink Lookup = new("IoT查询设备所有者", "/tools/owner-lookup", "search");
    private static readonly MenuLink AuditLink = new("操作日志", "/audit", "file-search");
    private static readonly MenuLink NetworkLink = new("IoT查询设备网络状态", "/tools/network", "wifi");
    private static readonly MenuLink SimLink = new("查询流量卡信息", "/tools/sim", "credit-card");
    private static readonly MenuLink DistributionTool = new("IoT应用分发排查", "/tools/distribution", "bug");
    private static readonly MenuLink FaceTool = new("IoT开放刷脸诊断工具", "/tools/face", "scan");
    private static readonly MenuLink Trades = new("交易管理", "/trades", "transaction");
    private static readonly MenuLink PosterTool = new("IoT海报投放排查", "/tools/posters", "picture");
    private static readonly MenuGroup Distribution = new("应用分发", "cloud-download",
    [
        new("安卓应用", "/distribution/apps", "android"),
        new("分发任务", "/distribution/tasks", "ordered-list"),
    ]);

    public static IReadOnlyList<MenuGroup> For(AccountRole role) => role switch
    {
        AccountRole.Merchant or AccountRole.ServiceProvider =>
        [
            new(role == AccountRole.Merchant ? "运营中心 · 设备管理" : "服务商运营 · 设备管理", "appstore",
            [
                new("我的设备", "/devices", "desktop"),
                new("授权的设备", "/devices/grants", "share-alt"),
                new("授权给我的设备", "/devices/granted", "team"),
                new("进件授权", "/ownership/onboarding", "check-circle"),
                .. role == AccountRole.Merchant ? new[] { new MenuLink("设备申购", "/ownership/purchase", "shopping-cart") } : [],
            ]),
            new(role == AccountRole.Merchant ? "运营中心 · 交易" : "服务商运营 · 交易", "pay-circle", [Trades]),
            new(role == AccountRole.Merchant ? "运营中心 · 设备运营" : "代运营中心 · 设备运营", "picture",
                [new("电子海报", "/operations/posters", "picture"), new("刷脸有礼", "/operations/gifts", "gift"), new("语音播报", "/operations/voice", "sound"),
                    new("屏幕墙", "/operations/screens", "appstore"),
                    .. role == AccountRole.Merchant ? new[] { new MenuLink("店员账号", "/operations/clerks", "idcard") } : []]),
            Distribution,
            OpenPlatform,
            new("工具", "tool", [Lookup, NetworkLink, SimLink, DistributionTool, FaceTool, PosterTool, AuditLink]),
        ],
        AccountRole.Manufacturer =>
        [
            new("设备进件", "cloud-upload", [new("进件入口", "/ownership/onboarding", "cloud-upload")]),
            new("应用分发", "cloud-download", [new("系统升级与应用", "/distribution/apps", "android")]),
            new("工具", "tool", [Lookup]),
        ],
        _ =>
        [
            new("平台运营", "setting",
            [
                new("账号管理", "/ops/accounts", "user"),
                new("全部设备", "/devices?scope=All", "desktop"),
                new("进件入口", "/ownership/onboarding", "cloud-upload"),
                new("申购与发货", "/ownership/purchase", "shopping-cart"),
                new("会员", "/ops/members", "user"),
                Trades,
                new("中心化海报", "/operations/posters", "picture"),
            ]),
            new("开放平台审核", "audit",
            [
                new("用户信息申请审核", "/ops/member-info", "safety-certificate"),
                new("异步通知推送", "/ops/notifications", "notification"),
            ]),
            Distribution,
            new("工具", "tool", [Lookup, NetworkLink, SimLink, DistributionTool, FaceTool, PosterTool, AuditLink]),
        ],
    };
}
