using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Touchpoint.Core.Gifts;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Diagnostics;
using Touchpoint.Server.Distribution;
using Touchpoint.Server.OpenApi;
using Touchpoint.Server.Posters;

namespace Touchpoint.Server.Gifts;

/// <summary>
/// alipay.marketing.iot.merchantplan.createormodify: the face-pay success page's marketing slot (刷脸有礼), with Alipay's
/// fields — <c>action</c> CREATE | MODIFY, <c>plan_id</c>, <c>space_code</c>, <c>resource_type</c>
/// (<c>IOT_MERCHANT_VOUCHER</c> | <c>MINI_APP</c>), <c>resource_content</c> (the voucher as JSON), <c>mini_app_id</c>,
/// <c>mini_app_page</c> — and Touchpoint's conditions beside them (docs/openapi.md). Answers <c>plan_id</c>.
/// </summary>
public sealed class MerchantPlanCreateOrModifyMethod(GiftCatalogue catalogue) : IGatewayMethod
{
    public const string Voucher = "IOT_MERCHANT_VOUCHER";
    public const string MiniApp = "MINI_APP";

    public string Name => "alipay.marketing.iot.merchantplan.createormodify";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var actor = DiagnosticsEndpoints.ActorOf(call);
        var action = call.Required("action").ToUpperInvariant();
        if (action is not ("CREATE" or "MODIFY" or "STOP"))
        {
            throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"不支持的 action：{action}（CREATE、MODIFY 或 STOP）");
        }
        if (action == "STOP")
        {
            return Answer(await catalogue.StopAsync(actor, PlanId(call), ct));
        }
        var edit = Edit(call);
        return Answer(action == "CREATE"
            ? await catalogue.CreateAsync(actor, edit, GiftSource.Gateway, ct, call.Text("space_code"))
            : await catalogue.UpdateAsync(actor, PlanId(call), edit, ct));
    }

    private static JsonObject Answer(GiftView gift) => new()
    {
        ["plan_id"] = gift.Id.ToString(CultureInfo.InvariantCulture),
        ["status"] = gift.Active ? "VALID" : "STOP",
        ["impression_count"] = gift.Impressions,
        ["claim_count"] = gift.Claims,
        ["stock_left"] = gift.StockLeft,
    };

    private static long PlanId(GatewayCall call) =>
        long.TryParse(call.Required("plan_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
            : throw OpenPlatformViolation.Invalid("isv.invalid-parameter", "plan_id 格式不正确");

    private static GiftEdit Edit(GatewayCall call)
    {
        var type = call.Required("resource_type").ToUpperInvariant();
        var kind = type switch
        {
            Voucher => GiftKind.Coupon,
            MiniApp => GiftKind.MiniProgram,
            _ => throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"不支持的 resource_type：{type}（{Voucher} 或 {MiniApp}）"),
        };
        JsonObject content = [];
        if (call.Text("resource_content") is { Length: > 0 } text)
        {
            try
            {
                content = JsonNode.Parse(text) as JsonObject ?? throw new JsonException();
            }
            catch (JsonException)
            {
                throw OpenPlatformViolation.Invalid("isv.invalid-parameter", "resource_content 必须是 JSON 对象，如 {\"name\":\"满50减5\",\"amount\":\"5.00\",\"threshold\":\"50.00\",\"valid_days\":30,\"stock\":100}");
            }
        }
        else if (kind == GiftKind.Coupon)
        {
            throw OpenPlatformViolation.Missing("resource_content");
        }
        string? Field(string name) => content[name] is { } node ? node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString() : null;
        int? Number(string name) => Field(name) is { Length: > 0 } n
            ? int.TryParse(n, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
                : throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"resource_content.{name} 必须是整数")
            : null;
        var sns = call.Biz.ContainsKey("device_sn_list") ? GatewayArgs.Sns(call, "device_sn_list") : null;
        var period = call.Text("period")?.Trim().ToUpperInvariant() switch
        {
            null or "" or "EVER" => GiftPeriod.Ever,
            "DAY" => GiftPeriod.Day,
            "WEEK" => GiftPeriod.Week,
            "MONTH" => GiftPeriod.Month,
            var other => throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"不支持的 period：{other}（EVER、DAY、WEEK 或 MONTH）"),
        };
        return new GiftEdit(call.Text("plan_name") ?? Field("name"), kind, Field("amount"), Field("threshold"), Number("valid_days"), Number("stock"),
            call.Text("mini_app_id"), call.Text("mini_app_page"), call.Text("min_amount"), GatewayArgs.Bool(call, "first_payment_only"),
            AdvertiserArgs.Time(call, "start_time"), AdvertiserArgs.Time(call, "end_time"), GatewayArgs.Int(call, "times_per_member"), period,
            GatewayArgs.Int(call, "priority"), sns is null ? GiftScope.All : GiftScope.Picked, sns);
    }
}
