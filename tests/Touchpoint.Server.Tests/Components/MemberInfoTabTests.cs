using AntDesign;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.MemberInfo;
using Touchpoint.Server.MemberInfo.Pages;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests.Components;

/// <summary>申请权限 as a component over the real service and a real SQLite database.</summary>
public sealed class MemberInfoTabTests : BunitContext, IClassFixture<SqliteFactory>
{
    private readonly SqliteFactory _factory;

    public MemberInfoTabTests(SqliteFactory factory)
    {
        _factory = factory;
        Services.AddAntDesign();
        Services.AddSingleton(factory.Services.GetRequiredService<FieldApplicationService>());
        JSInterop.Mode = JSRuntimeMode.Loose;
        // AntDesign's Alert measures itself through JS after render; in bUnit it shows its message only.
        // Ant's Select measures its dropdown through JS after render; here it renders its options as plain markup.
        ComponentFactories.AddStub<SimpleSelect>(p => p.Get(x => x.SelectOptions)!);
        ComponentFactories.AddStub<SimpleSelectOption>(p => $"<div class=\"stub-option\">{p.Get(x => x.Label)}</div>");
        ComponentFactories.AddStub<Alert>(p => $"<div class=\"stub-alert\">{p.Get(x => x.Message)}</div>");
    }

    private static DeveloperApp App(string category) => new()
    {
        Id = -1, AppId = "2026000000000009", Name = "组件测试", Kind = AppKind.MiniProgram, OwnerId = 1, CategoryId = category,
        LogoUrl = "https://example.com/a.png", Description = "组件测试小程序", ServicePhone = "0571-88880000",
    };

    [Fact]
    public void MerchantChoosesAmongTheFieldsItsCategoryAllows()
    {
        var cut = Render<MemberInfoTab>(p => p.Add(x => x.App, App("C05_C0501")).Add(x => x.Actor, new Actor(1, AccountRole.Merchant, "商家")));
        var options = cut.FindAll(".stub-option").Select(o => o.TextContent).ToList();
        Assert.Equal(4, options.Count); // mobile ×2 APIs, user_name, address — no cert_no for 快递物流 (no scene options until a field is chosen)
        Assert.DoesNotContain(options, o => o.Contains("cert_no"));
        Assert.NotEmpty(cut.FindAll("input[type=file]"));
    }

    [Fact]
    public void CategoryWithoutMemberFieldsSaysSo()
    {
        var cut = Render<MemberInfoTab>(p => p.Add(x => x.App, App("C06_C0601")).Add(x => x.Actor, new Actor(1, AccountRole.Merchant, "商家")));
        Assert.Contains("当前类目不支持申请任何会员信息", cut.Markup);
    }

    [Fact]
    public void ServiceProviderGetsNoApplyFormOnlyTheWayThroughTheApi()
    {
        var cut = Render<MemberInfoTab>(p => p.Add(x => x.App, App("C01_C0101")).Add(x => x.Actor, new Actor(1, AccountRole.ServiceProvider, "服务商")));
        Assert.Contains("服务商不能在控制台为自己的账号申请用户信息", cut.Markup);
        Assert.Empty(cut.FindAll("input[type=file]"));
        Assert.DoesNotContain("提交申请", cut.Markup);
    }
}
