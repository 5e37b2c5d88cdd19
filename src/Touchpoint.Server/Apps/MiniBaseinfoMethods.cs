using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.OpenApi;

namespace Touchpoint.Server.Apps;

/// <summary>alipay.open.mini.baseinfo.query: the mini-program's basic information, category first (R25).</summary>
public sealed class MiniBaseinfoQueryMethod : IGatewayMethod
{
    public string Name => "alipay.open.mini.baseinfo.query";

    public Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        // A read: answered from the app snapshot (at most OpenApi:AppCacheSeconds old when another node changed it).
        var app = call.Target.Row;
        if (!app.Kind.HasBasicInfo())
        {
            throw OpenPlatformViolation.Business("isv.app-type-not-supported", $"{app.Kind.ChineseName()}没有小程序基础信息");
        }
        var category = MemberFieldCatalogue.FindCategory(app.CategoryId);
        var result = new JsonObject
        {
            ["app_name"] = app.Name,
            ["app_logo"] = app.LogoUrl,
            ["app_desc"] = app.Description,
            ["service_phone"] = app.ServicePhone,
            ["service_email"] = app.ServiceEmail,
            ["category_names"] = category?.Name,
            ["mini_category_ids"] = category?.Id,
        };
        foreach (var empty in result.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            result.Remove(empty);
        }
        return Task.FromResult(result);
    }
}

/// <summary>alipay.open.mini.baseinfo.modify: sets name, category (mini_category_ids), logo, description, service contacts.</summary>
public sealed class MiniBaseinfoModifyMethod(IDbContextFactory<TouchpointDb> factory, TimeProvider clock, AppDirectory directory) : IGatewayMethod
{
    public string Name => "alipay.open.mini.baseinfo.modify";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var app = await db.DeveloperApps.SingleAsync(a => a.Id == call.TargetAppId, ct);
        AppService.ApplyBasicInfo(app, new BasicInfoChange(
            AppName: call.Text("app_name"),
            CategoryId: call.Text("mini_category_ids"),
            LogoUrl: call.Text("app_logo"),
            Description: call.Text("app_desc"),
            ServicePhone: call.Text("service_phone"),
            ServiceEmail: call.Text("service_email")));
        app.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        directory.Forget(app.AppId);
        return [];
    }
}
