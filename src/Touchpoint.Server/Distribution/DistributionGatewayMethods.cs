using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Touchpoint.Core.Distribution;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Common;
using Touchpoint.Server.Diagnostics;
using Touchpoint.Server.OpenApi;

namespace Touchpoint.Server.Distribution;

/// <summary>Reading the shapes service providers send: a JSON list or a comma-separated string of SNs, "HH:mm" clock times.</summary>
internal static class GatewayArgs
{
    public static List<string> Sns(GatewayCall call, string name)
    {
        if (!call.Biz.TryGetPropertyValue(name, out var node) || node is null)
        {
            throw OpenPlatformViolation.Missing(name);
        }
        var list = node.GetValueKind() switch
        {
            JsonValueKind.Array => node.AsArray().Select(n => n?.GetValueKind() == JsonValueKind.String ? n.GetValue<string>()
                : throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"参数 {name} 的每一项必须是 SN 字符串")).ToList(),
            JsonValueKind.String => node.GetValue<string>().Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            _ => throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"参数 {name} 必须是 SN 列表"),
        };
        if (list.Count > 200_000)
        {
            throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"参数 {name} 最多 200000 个 SN");
        }
        if (list.Count == 0)
        {
            throw OpenPlatformViolation.Missing(name);
        }
        return list;
    }

    public static int? Int(GatewayCall call, string name) => call.Text(name) is { Length: > 0 } text
        ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
            : throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"参数 {name} 必须是整数")
        : null;

    public static bool Bool(GatewayCall call, string name, bool fallback = false) => call.Text(name) switch
    {
        null or "" => fallback,
        "true" or "TRUE" or "1" => true,
        "false" or "FALSE" or "0" => false,
        _ => throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"参数 {name} 必须是 true 或 false"),
    };

    public static int? Minute(GatewayCall call, string name) => call.Text(name) is { Length: > 0 } text
        ? TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t.Hour * 60 + t.Minute
            : throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"参数 {name} 必须是 HH:mm")
        : null;

    public static RolloutPolicy Policy(GatewayCall call) => new()
    {
        FirstWaveCount = Int(call, "first_wave_count"),
        FirstWavePercent = Int(call, "first_wave_percent"),
        DevicesPerMinute = Int(call, "devices_per_minute"),
        SuccessThresholdPercent = Int(call, "success_threshold_percent") ?? 90,
        FailureStopPercent = Int(call, "failure_stop_percent") ?? 20,
        FailureMinCount = Int(call, "failure_min_count") ?? 5,
        DeviceTimeoutMinutes = Int(call, "device_timeout_minutes") ?? 30,
        MaxRetries = Int(call, "max_retries") ?? 1,
        WindowStartMinute = Minute(call, "window_start"),
        WindowEndMinute = Minute(call, "window_end"),
        WifiOnly = Bool(call, "wifi_only"),
        MaxOfflineDays = Int(call, "max_offline_days"),
        BootStart = Bool(call, "boot_start"),
    };

    public static JsonObject Task(DistributionTaskView task) => new()
    {
        ["task_id"] = task.Id.ToString(CultureInfo.InvariantCulture),
        ["task_name"] = task.Name,
        ["action"] = task.Action.Wire().ToUpperInvariant(),
        ["status"] = task.Status.ToString().ToUpperInvariant(),
        ["status_desc"] = task.StatusName,
        ["status_reason"] = task.StatusReason,
        ["device_count"] = task.Devices,
        ["total_count"] = task.Total,
        ["pending_count"] = task.Count(TargetState.Pending),
        ["running_count"] = TargetStates.InFlightStates.Sum(task.Count),
        ["success_count"] = task.Count(TargetState.Succeeded),
        ["fail_count"] = task.Count(TargetState.Failed),
        ["skip_count"] = task.Count(TargetState.Skipped),
        ["cancel_count"] = task.Count(TargetState.Cancelled),
        ["open_wave"] = task.OpenWave,
        ["gmt_create"] = ChinaTime.Format(task.CreatedAtUtc),
        ["app_list"] = new JsonArray(task.Items.Select(i => (JsonNode)new JsonObject
        {
            ["app_id"] = i.AppId, ["app_name"] = i.AppName, ["app_type"] = i.Kind.Wire().ToUpperInvariant(), ["app_version"] = i.VersionName,
        }).ToArray()),
        ["skip_reasons"] = new JsonArray(task.Skipped.Select(s => (JsonNode)new JsonObject
        {
            ["reason_code"] = s.Reason.Wire().ToUpperInvariant(), ["reason"] = s.Text, ["count"] = s.Count,
        }).ToArray()),
    };

    public static async Task<JsonArray> SkippedAsync(DistributionQueries queries, Accounts.Actor actor, long taskId, CancellationToken ct)
    {
        var skipped = await queries.TargetsAsync(actor, taskId, new TargetQuery(TargetState.Skipped, PageSize: 200), ct);
        return new JsonArray(skipped.Items.Select(t => (JsonNode)new JsonObject
        {
            ["sn"] = t.Sn, ["reason_code"] = t.SkipReason?.Wire().ToUpperInvariant(), ["reason"] = t.Reason,
        }).ToArray());
    }

    public static long TaskId(GatewayCall call) =>
        long.TryParse(call.Required("task_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
            : throw OpenPlatformViolation.Invalid("isv.invalid-parameter", "task_id 格式不正确");
}

/// <summary>
/// alipay.commerce.iot.device.upgradeapp.create, as Alipay's (ALIPAY-IOT.md §1): <c>sn</c> (list), <c>target_app_id</c>,
/// <c>target_app_version</c>, <c>remark</c>. Creates and starts an upgrade task (install for kinds that have no upgrade);
/// Touchpoint adds <c>task_id</c> and the skipped devices to the answer, which Alipay's SDKs simply ignore.
/// </summary>
public sealed class UpgradeAppCreateMethod(DistributionService service, DistributionQueries queries, CatalogueService catalogue) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.device.upgradeapp.create";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var actor = DiagnosticsEndpoints.ActorOf(call);
        var sns = GatewayArgs.Sns(call, "sn");
        var appId = call.Required("target_app_id");
        var version = call.Text("target_app_version")?.Trim();
        var kind = (await catalogue.GetAsync(actor, appId, ct)).Kind;
        var action = kind.Actions().Contains(DistributionAction.Upgrade) ? DistributionAction.Upgrade : DistributionAction.Install;
        var task = await service.CreateAsync(actor, new NewDistributionTask(null, action,
            [new TaskItemRequest(appId, VersionName: string.IsNullOrEmpty(version) ? null : version)], new DeviceSelection(sns), new RolloutPolicy(),
            call.Text("remark")), TaskSource.Gateway, start: true, ct);
        return new JsonObject
        {
            ["task_id"] = task.Id.ToString(CultureInfo.InvariantCulture),
            ["skipped_list"] = await GatewayArgs.SkippedAsync(queries, actor, task.Id, ct),
        };
    }
}

/// <summary>
/// Touchpoint extension alipay.commerce.iot.device.apptask.create: any action (INSTALL, UPGRADE, UNINSTALL, BOOT_START,
/// RESTART, FACTORY_RESET), several apps (<c>app_list</c> of {app_id, app_version}), the rollout options, start now or not.
/// </summary>
public sealed class AppTaskCreateMethod(DistributionService service, DistributionQueries queries) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.device.apptask.create";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var actor = DiagnosticsEndpoints.ActorOf(call);
        var actionText = call.Required("action").ToLowerInvariant();
        var action = Enum.GetValues<DistributionAction>().Where(a => a.Wire() == actionText).Cast<DistributionAction?>().FirstOrDefault()
            ?? throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"不支持的 action：{actionText}");
        var items = new List<TaskItemRequest>();
        if (call.Biz.TryGetPropertyValue("app_list", out var list) && list is JsonArray apps)
        {
            foreach (var app in apps.OfType<JsonObject>())
            {
                var id = app["app_id"]?.ToString() ?? throw OpenPlatformViolation.Missing("app_list.app_id");
                items.Add(new TaskItemRequest(id, VersionName: app["app_version"]?.ToString()));
            }
        }
        else if (call.Text("app_id") is { Length: > 0 } single)
        {
            items.Add(new TaskItemRequest(single, VersionName: call.Text("app_version")));
        }
        var task = await service.CreateAsync(actor, new NewDistributionTask(call.Text("task_name"), action, items,
            new DeviceSelection(GatewayArgs.Sns(call, "sn_list")), GatewayArgs.Policy(call), call.Text("remark")), TaskSource.Gateway,
            start: GatewayArgs.Bool(call, "start", fallback: true), ct);
        var result = GatewayArgs.Task(task);
        result["skipped_list"] = await GatewayArgs.SkippedAsync(queries, actor, task.Id, ct);
        return result;
    }
}

/// <summary>Touchpoint extension alipay.commerce.iot.device.apptask.query: a task, its status and counts.</summary>
public sealed class AppTaskQueryMethod(DistributionQueries queries) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.device.apptask.query";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct) =>
        GatewayArgs.Task(await queries.GetAsync(DiagnosticsEndpoints.ActorOf(call), GatewayArgs.TaskId(call), ct));
}

/// <summary>Touchpoint extension alipay.commerce.iot.device.apptask.detail.batchquery: per-device results, paged, by status.</summary>
public sealed class AppTaskDetailBatchQueryMethod(DistributionQueries queries) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.device.apptask.detail.batchquery";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        TargetState? state = call.Text("status") is { Length: > 0 } text
            ? Enum.GetValues<TargetState>().Where(s => s.ToString().Equals(text, StringComparison.OrdinalIgnoreCase)).Cast<TargetState?>().FirstOrDefault()
                ?? throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"不支持的 status：{text}")
            : null;
        var page = PageRequest.Of(GatewayArgs.Int(call, "page_num"), GatewayArgs.Int(call, "page_size") ?? 50);
        var rows = await queries.TargetsAsync(DiagnosticsEndpoints.ActorOf(call), GatewayArgs.TaskId(call),
            new TargetQuery(state, call.Text("reason_code")?.ToLowerInvariant(), call.Text("sn"), page.Page, page.PageSize), ct);
        return new JsonObject
        {
            ["total"] = rows.Total,
            ["page_num"] = rows.Page,
            ["page_size"] = rows.PageSize,
            ["detail_list"] = new JsonArray(rows.Items.Select(t => (JsonNode)new JsonObject
            {
                ["sn"] = t.Sn,
                ["app_id"] = t.AppId,
                ["status"] = t.State.ToString().ToUpperInvariant(),
                ["status_desc"] = t.StateName,
                ["progress"] = t.Progress,
                ["attempt"] = t.Attempt,
                ["reason_code"] = t.FailureReason?.Wire().ToUpperInvariant() ?? t.SkipReason?.Wire().ToUpperInvariant(),
                ["reason"] = t.Reason,
                ["advice"] = t.Advice,
                ["message"] = t.Message,
                ["from_version"] = t.FromVersion,
                ["current_version"] = t.ReportedVersion,
                ["gmt_modified"] = ChinaTime.Format(t.UpdatedAtUtc),
            }).ToArray()),
        };
    }
}

/// <summary>Touchpoint extension alipay.commerce.iot.device.apptask.operate: PAUSE, RESUME, CANCEL, RETRY_FAILED, START.</summary>
public sealed class AppTaskOperateMethod(DistributionService service) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.device.apptask.operate";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var actor = DiagnosticsEndpoints.ActorOf(call);
        var id = GatewayArgs.TaskId(call);
        var task = call.Required("operation").ToUpperInvariant() switch
        {
            "START" => await service.StartAsync(actor, id, ct),
            "PAUSE" => await service.PauseAsync(actor, id, ct),
            "RESUME" => await service.ResumeAsync(actor, id, ct),
            "CANCEL" => await service.CancelAsync(actor, id, ct),
            "RETRY_FAILED" => await service.RetryFailedAsync(actor, id, ct),
            var other => throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"不支持的 operation：{other}"),
        };
        return GatewayArgs.Task(task);
    }
}

/// <summary>IoT应用分发排查 through the gateway (Touchpoint extension alipay.commerce.iot.device.appdistribution.diagnose).</summary>
public sealed class AppDistributionDiagnoseMethod(DistributionQueries queries) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.device.appdistribution.diagnose";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var report = await queries.TroubleshootAsync(DiagnosticsEndpoints.ActorOf(call), call.Required("sn"), call.Required("app_id"), ct);
        return new JsonObject
        {
            ["sn"] = report.Sn,
            ["app_id"] = report.AppId,
            ["app_name"] = report.AppName,
            ["current_version"] = report.CurrentVersion,
            ["online"] = report.DeviceOnline,
            ["summary"] = report.Summary,
            ["task_list"] = new JsonArray(report.Tasks.Select(t => (JsonNode)new JsonObject
            {
                ["task_id"] = t.TaskId.ToString(CultureInfo.InvariantCulture),
                ["task_name"] = t.TaskName,
                ["action"] = t.ActionName,
                ["target_version"] = t.TargetVersion,
                ["status"] = t.State.ToString().ToUpperInvariant(),
                ["status_desc"] = t.StateName,
                ["reason"] = t.Reason,
                ["advice"] = t.Advice,
                ["steps"] = new JsonArray(t.Steps.Select(s => (JsonNode)new JsonObject
                {
                    ["time"] = ChinaTime.Format(s.AtUtc), ["status_desc"] = s.StateName, ["source"] = s.Source, ["reason"] = s.Reason, ["message"] = s.Message,
                }).ToArray()),
            }).ToArray()),
        };
    }
}
