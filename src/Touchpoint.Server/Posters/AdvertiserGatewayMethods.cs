using System.Globalization;
using System.Text.Json.Nodes;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Core.Posters;
using Touchpoint.Server.Common;
using Touchpoint.Server.Diagnostics;
using Touchpoint.Server.Distribution;
using Touchpoint.Server.OpenApi;

namespace Touchpoint.Server.Posters;

/// <summary>Reading and writing the advertiser methods' fields (ALIPAY-IOT.md §1): ids, "yyyy-MM-dd HH:mm:ss" device times, a plan.</summary>
internal static class AdvertiserArgs
{
    public static long Id(GatewayCall call, string name) =>
        long.TryParse(call.Required(name), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
            : throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"参数 {name} 必须是数字 id");

    public static DateTime? Time(GatewayCall call, string name) => call.Text(name)?.Trim() is { Length: > 0 } text
        ? DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t
            : throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"参数 {name} 必须是 yyyy-MM-dd HH:mm:ss（设备当地时间）")
        : null;

    public static string Format(DateTime local) => local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static JsonObject Plan(PosterAdView ad) => new()
    {
        ["id"] = ad.Id,
        ["plan_name"] = ad.PlanName,
        ["status"] = ad.Status == PosterAdStatus.Cancelled ? "CANCEL" : "VALID",
        ["event"] = ad.Event,
        ["device_type"] = ad.DeviceType,
        ["material_id"] = ad.MaterialId,
        ["material_url"] = ad.MaterialUrl,
        ["device_sn_list"] = new JsonArray(ad.Sns.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
        ["start_time"] = ad.Start <= PosterWindow.Immediately ? null : Format(ad.Start),
        ["end_time"] = ad.End is { } end ? Format(end) : null,
        ["gmt_create"] = ChinaTime.Format(ad.CreatedAtUtc),
        ["gmt_modified"] = ChinaTime.Format(ad.ModifiedAtUtc),
    };
}

/// <summary>alipay.commerce.iot.advertiser.material.create: a multipart upload (<c>file_content</c>) into the caller's poster library.</summary>
public sealed class AdvertiserMaterialCreateMethod(PosterAds ads) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.advertiser.material.create";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var file = call.Files.FirstOrDefault(f => f.Slot == "file_content") ?? call.Files.FirstOrDefault()
            ?? throw OpenPlatformViolation.Missing("file_content");
        var (id, url) = await ads.CreateMaterialAsync(DiagnosticsEndpoints.ActorOf(call), file.FileName, file.Content, ct);
        return new JsonObject { ["id"] = id, ["material_url"] = url };
    }
}

/// <summary>
/// alipay.commerce.iot.advertiser.ad.create {device_sn_list, device_type, event (idle), material_id, plan_name, start_time,
/// end_time}: placed as the console places (海报投放 on every device, 管理员模式 on, a free merchant slot), or refused whole.
/// </summary>
public sealed class AdvertiserAdCreateMethod(PosterAds ads) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.advertiser.ad.create";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var ad = await ads.CreateAsync(DiagnosticsEndpoints.ActorOf(call), new NewPosterAd(GatewayArgs.Sns(call, "device_sn_list"), call.Text("device_type"),
            call.Text("event"), AdvertiserArgs.Id(call, "material_id"), call.Required("plan_name"), AdvertiserArgs.Time(call, "start_time"),
            AdvertiserArgs.Time(call, "end_time")), ct);
        return new JsonObject { ["id"] = ad.Id };
    }
}

/// <summary>alipay.commerce.iot.advertiser.ad.modify {id, delete_sn_list}: the plan leaves those devices.</summary>
public sealed class AdvertiserAdModifyMethod(PosterAds ads) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.advertiser.ad.modify";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct) =>
        AdvertiserArgs.Plan(await ads.RemoveDevicesAsync(DiagnosticsEndpoints.ActorOf(call), AdvertiserArgs.Id(call, "id"), GatewayArgs.Sns(call, "delete_sn_list"), ct));
}

/// <summary>alipay.commerce.iot.advertiser.ad.cancel {id}: the plan leaves every device.</summary>
public sealed class AdvertiserAdCancelMethod(PosterAds ads) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.advertiser.ad.cancel";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        await ads.CancelAsync(DiagnosticsEndpoints.ActorOf(call), AdvertiserArgs.Id(call, "id"), ct);
        return [];
    }
}

/// <summary>alipay.commerce.iot.advertiser.ad.query {id} → status, device_sn_list, material_url, gmt_create, gmt_modified.</summary>
public sealed class AdvertiserAdQueryMethod(PosterAds ads) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.advertiser.ad.query";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct) =>
        AdvertiserArgs.Plan(await ads.GetAsync(DiagnosticsEndpoints.ActorOf(call), AdvertiserArgs.Id(call, "id"), ct));
}

/// <summary>alipay.commerce.iot.advertiser.ad.batchquery {page_num, page_size} → result (the caller's plans, newest first), total.</summary>
public sealed class AdvertiserAdBatchQueryMethod(PosterAds ads) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.advertiser.ad.batchquery";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var (items, total) = await ads.ListAsync(DiagnosticsEndpoints.ActorOf(call), GatewayArgs.Int(call, "page_num") ?? 1, GatewayArgs.Int(call, "page_size") ?? 20, ct);
        return new JsonObject { ["result"] = new JsonArray(items.Select(a => (JsonNode)AdvertiserArgs.Plan(a)).ToArray()), ["total"] = total };
    }
}
