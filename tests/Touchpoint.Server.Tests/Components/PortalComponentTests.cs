using System.Security.Claims;
using AntDesign;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Core.Accounts;
using Touchpoint.Server.Components.Layout;
using Touchpoint.Server.Components.Shared;

namespace Touchpoint.Server.Tests.Components;

/// <summary>R6: each role gets its own portal, menu and the seed's breadcrumb path.</summary>
public class PortalComponentTests : BunitContext
{
    public PortalComponentTests()
    {
        Services.AddAntDesign();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private void SignIn(AccountRole role)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("测试账号");
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, "7"), new Claim(ClaimTypes.Name, "测试账号"), new Claim(ClaimTypes.Role, role.ToString()));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true)); // after registrations: it resolves the renderer
    }

    [Theory]
    [InlineData(AccountRole.Merchant, "运营中心|设备运营|设备管理|我的设备")]
    [InlineData(AccountRole.ServiceProvider, "服务商运营|设备运营|设备管理|我的设备")]
    public void BreadcrumbFollowsTheSeedPathOfEachPortal(AccountRole role, string expected)
    {
        SignIn(role);
        var cut = Render<ConsoleHeader>(p => p.Add(x => x.Title, "我的设备"));
        var crumbs = cut.FindAll(".ant-breadcrumb-link").Select(e => e.TextContent.Trim());
        Assert.Equal(expected.Split('|'), crumbs);
        Assert.Equal("我的设备", cut.Find("h1").TextContent);
    }

    [Theory]
    [InlineData(AccountRole.Merchant, "商家平台", new[] { "我的设备", "授权的设备", "授权给我的设备", "设备申购", "我的应用", "沙箱应用" }, new[] { "账号管理", "用户信息申请审核" })]
    [InlineData(AccountRole.ServiceProvider, "服务商平台", new[] { "我的设备", "授权的设备", "授权给我的设备", "我的应用" }, new[] { "设备申购", "账号管理", "用户信息申请审核" })]
    [InlineData(AccountRole.Operator, "平台运营台", new[] { "账号管理", "全部设备", "申购与发货", "用户信息申请审核", "异步通知推送" }, new[] { "授权的设备", "我的应用" })]
    [InlineData(AccountRole.Manufacturer, "厂商平台", new[] { "进件入口", "IoT查询设备所有者" }, new[] { "我的设备", "账号管理", "我的应用", "用户信息申请审核" })]
    public void EachRoleSeesItsOwnPortalAndMenu(AccountRole role, string portal, string[] present, string[] absent)
    {
        SignIn(role);
        var cut = Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "页面内容"))));
        Assert.Contains(portal, cut.Find(".tp-portal").TextContent);
        var items = cut.FindAll(".ant-menu-item").Select(e => e.TextContent.Trim()).ToList();
        Assert.All(present, p => Assert.Contains(p, items));
        Assert.All(absent, a => Assert.DoesNotContain(a, items));
        Assert.Contains("页面内容", cut.Find("[data-interactive=true]").TextContent);
    }

    [Fact]
    public void PortalMenuLinksPointAtRealPages()
    {
        var routes = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(RouteAttribute), false).Cast<RouteAttribute>())
            .Select(r => r.Template).ToHashSet();
        foreach (var role in Enum.GetValues<AccountRole>())
        {
            foreach (var link in PortalMenu.For(role).SelectMany(g => g.Links))
            {
                Assert.Contains(link.Href.Split('?')[0], routes);
            }
        }
    }
}
