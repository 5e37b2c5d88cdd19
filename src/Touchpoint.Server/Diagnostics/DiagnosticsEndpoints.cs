using System.Security.Claims;
using System.Text.Json.Nodes;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Common;
using Touchpoint.Server.OpenApi;

namespace Touchpoint.Server.Diagnostics;

public static class DiagnosticsEndpoints
{
    public static IEndpointRouteBuilder MapDiagnosticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/tools");
        api.MapGet("/network/{sn}", async (ClaimsPrincipal user, NetworkDiagnostics diagnostics, string sn, CancellationToken ct) =>
            TypedResults.Ok(await diagnostics.NetworkAsync(user.Actor(), sn, ct)));
        api.MapGet("/sim/{snOrIccid}", async (ClaimsPrincipal user, NetworkDiagnostics diagnostics, string snOrIccid, CancellationToken ct) =>
            TypedResults.Ok(await diagnostics.SimAsync(user.Actor(), snOrIccid, ct)));
        return app;
    }

    /// <summary>
    /// Who a gateway call acts as on devices: the app's owner; on behalf (app_auth_token), the provider that owns the
    /// third-party app, limited to the merchant's devices and decided by the grants the merchant gave it — the same
    /// <see cref="Devices.DeviceAccess"/> decision as the provider's own console.
    /// </summary>
    internal static Actor ActorOf(GatewayCall call) => call.OnBehalf
        ? new Actor(call.Caller.OwnerId, call.Caller.OwnerRole, "") { OnBehalfOfId = call.Target.OwnerId }
        : new Actor(call.Target.OwnerId, call.Target.OwnerRole, "");
}

/// <summary>IoT查询设备网络状态 through the gateway (Touchpoint's method name; see docs/openapi.md).</summary>
public sealed class DeviceNetworkQueryMethod(NetworkDiagnostics diagnostics) : IGatewayMethod
{
    public string Name => "alipay.merchant.iot.device.network.query";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var status = await diagnostics.NetworkAsync(DiagnosticsEndpoints.ActorOf(call), call.Required("device_sn"), ct);
        return new JsonObject
        {
            ["device_sn"] = status.Sn,
            ["online"] = status.Online,
            ["network_type"] = status.NetworkType.ToString().ToUpperInvariant(),
            ["wifi_ssid"] = status.WifiSsid,
            ["wifi_rssi"] = status.WifiRssi,
            ["iccid"] = status.SimIccid,
            ["operator"] = status.SimOperator,
            ["signal"] = status.CellularSignal,
            ["last_online_time"] = status.LastOnlineAtUtc is null ? null : ChinaTime.Format(status.LastOnlineAtUtc),
            ["advice"] = status.Advice,
            ["connection_records"] = new JsonArray(status.History.Select(h => (JsonNode)new JsonObject
            {
                ["time"] = ChinaTime.Format(h.AtUtc),
                ["event"] = h.Online ? "ONLINE" : Touchpoint.Core.DeviceChannel.ConnectionReason.IsAbnormal(h.Reason) ? "LOST" : "OFFLINE",
            }).ToArray()),
        };
    }
}

/// <summary>查询流量卡信息 through the gateway.</summary>
public sealed class SimCardQueryMethod(NetworkDiagnostics diagnostics) : IGatewayMethod
{
    public string Name => "alipay.merchant.iot.simcard.query";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var sim = await diagnostics.SimAsync(DiagnosticsEndpoints.ActorOf(call), call.Required("device_sn"), ct);
        return new JsonObject
        {
            ["iccid"] = sim.Iccid,
            ["official"] = sim.Official,
            ["carrier"] = sim.Carrier,
            ["plan"] = sim.Plan,
            ["monthly_quota_mb"] = sim.MonthlyQuotaMb,
            ["used_mb"] = sim.UsedMb,
            ["status"] = sim.Status,
            ["advice"] = sim.Advice,
        };
    }
}
