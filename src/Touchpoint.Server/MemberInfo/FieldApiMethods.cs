using System.Text.Json.Nodes;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.OpenApi;

namespace Touchpoint.Server.MemberInfo;

/// <summary>alipay.open.app.api.query (R26): the member fields this app's category may apply for.</summary>
public sealed class AppApiQueryMethod : IGatewayMethod
{
    public string Name => "alipay.open.app.api.query";

    public Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var category = FieldApplicationRules.CategoryOf(call.Target.Row);
        var apis = new JsonArray();
        foreach (var field in MemberFieldCatalogue.FieldsFor(category))
        {
            apis.Add(new JsonObject { ["api_name"] = field.ApiName, ["field_name"] = field.FieldName, ["package_code"] = field.PackageCode });
        }
        return Task.FromResult(new JsonObject { ["apis"] = apis });
    }
}

/// <summary>alipay.open.app.api.scene.query (R27): the scenes in which the app's category may use a field.</summary>
public sealed class AppApiSceneQueryMethod : IGatewayMethod
{
    public string Name => "alipay.open.app.api.scene.query";

    public Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var fieldName = call.Required("field_name");
        var apiName = call.Required("api_name");
        var category = FieldApplicationRules.CategoryOf(call.Target.Row);
        var field = MemberFieldCatalogue.FindField(apiName, fieldName)
            ?? throw OpenPlatformViolation.Business("isv.api-field-not-exist", $"接口 {apiName} 没有可申请的字段 {fieldName}");
        if (!category.Allows(field.FieldName))
        {
            throw OpenPlatformViolation.Business("isv.category-not-allowed", $"小程序类目「{category.Name}」不支持申请{field.FieldTitle}（{field.FieldName}）");
        }
        var scenes = new JsonArray();
        foreach (var scene in MemberFieldCatalogue.ScenesFor(category, field.FieldName))
        {
            scenes.Add(new JsonObject { ["scene_code"] = scene.SceneCode, ["scene_desc"] = scene.SceneDesc });
        }
        return Task.FromResult(new JsonObject { ["auth_field_scene"] = scenes });
    }
}

/// <summary>alipay.open.app.api.field.apply (R28): an application with sample media, for the app or on behalf of it.</summary>
public sealed class AppApiFieldApplyMethod(FieldApplicationService applications) : IGatewayMethod
{
    public string Name => "alipay.open.app.api.field.apply";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        // ApplyAsync reads the app afresh: the rules must not run against a cached category.
        var request = new FieldApplicationRequest(call.Text("api_name"), call.Text("field_name"), call.Text("package_code"),
            call.Text("scene_code"), call.Text("qps_answer"), call.Text("customer_answer"), call.Files.Select(f => f.Describe()).ToList());
        var applicant = new Applicant(call.Caller.OwnerRole, call.Caller.OwnerId, call.OnBehalf);
        await applications.ApplyAsync(call.TargetAppId, applicant, call.Token?.ThirdPartyAppId, request, call.Files, ct);
        return [];
    }
}

/// <summary>alipay.open.app.api.field.query (R29): the app's applications and their review status.</summary>
public sealed class AppApiFieldQueryMethod(FieldApplicationService applications) : IGatewayMethod
{
    public string Name => "alipay.open.app.api.field.query";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var records = new JsonArray();
        foreach (var application in await applications.ListForAppAsync(call.TargetAppId, ct))
        {
            // "invalid" exists only for on-behalf applications (R29); the status already follows that rule.
            records.Add(new JsonObject
            {
                ["user_app_id"] = call.Target.AppId,
                ["api_name"] = application.ApiName,
                ["field_name"] = application.FieldName,
                ["status"] = application.Status.WireName(),
                ["reason"] = application.Reason ?? "",
                ["package_code"] = application.PackageCode,
            });
        }
        return new JsonObject { ["auth_field_response"] = new JsonObject { ["records"] = records } };
    }
}

