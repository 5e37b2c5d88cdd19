using System.Net;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Devices;
using Touchpoint.Device;
using Touchpoint.Server.Diagnostics;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>R11: network status and SIM information from what real agents report, in the console API and the gateway.</summary>
public abstract class DiagnosticsTests(TouchpointFactory factory)
{
    [Fact]
    public async Task NetworkStatusTellsWifiFromCellularAndSimInfoSendsOtherCarriersToThem()
    {
        var (owner, wifiSn, wifi) = await DeviceChannelScenario.NewDeviceAsync(factory);
        var (_, cellSn, cell) = await DeviceChannelScenario.NewDeviceAsync(factory, owner);
        var folder = Path.Combine(factory.Folder, "agent-state-" + Guid.NewGuid().ToString("N"));
        WriteState(folder, wifiSn, new NetworkReport { Type = "wifi", Ssid = "Shop-Guest", Rssi = -82 });
        WriteState(folder, cellSn, new NetworkReport { Type = "cellular", Iccid = "8986011234567890123", Operator = "中国联通", Signal = 3 });
        using var stop = new CancellationTokenSource();
        var options = DeviceChannelScenario.Options(factory) with { StateFolder = folder };
        await using var a = new DeviceAgent(wifi, options);
        await using var b = new DeviceAgent(cell, options);
        var runs = new[] { a.RunAsync(stop.Token), b.RunAsync(stop.Token) };
        await DeviceChannelScenario.WaitForAsync(owner, wifiSn, r => r.IsOnline && r.NetworkType == NetworkType.Wifi);
        await DeviceChannelScenario.WaitForAsync(owner, cellSn, r => r.IsOnline && r.NetworkType == NetworkType.Cellular);

        var wifiStatus = await owner.Client.GetAsync<NetworkStatus>($"/api/tools/network/{wifiSn}");
        Assert.Equal(("Shop-Guest", -82), (wifiStatus.WifiSsid, wifiStatus.WifiRssi));
        Assert.Contains("Wi-Fi 信号弱", wifiStatus.Advice);
        Assert.True(wifiStatus.History[0].Online);
        var cellStatus = await owner.Client.GetAsync<NetworkStatus>($"/api/tools/network/{cellSn}");
        Assert.Equal(("8986011234567890123", "中国联通", 3), (cellStatus.SimIccid, cellStatus.SimOperator, cellStatus.CellularSignal));

        var sim = await owner.Client.GetAsync<SimInfo>($"/api/tools/sim/{cellSn}");
        Assert.False(sim.Official);
        Assert.Equal("中国联通", sim.Carrier);
        Assert.Contains("请联系中国联通", sim.Advice);
        var noSim = await owner.Client.GetAsync($"/api/tools/sim/{wifiSn}");
        Assert.Contains("没有在用的流量卡", await noSim.ProblemAsync(HttpStatusCode.BadRequest));

        var stranger = await factory.NewAccountAsync(AccountRole.Merchant);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.Client.GetAsync($"/api/tools/network/{wifiSn}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.Client.GetAsync($"/api/tools/sim/8986089900000000001")).StatusCode);

        // The same through the gateway, under the permissions of the calling app's account.
        var app = await owner.NewMiniProgramAsync();
        using var client = await factory.GatewayClientAsync(app);
        var viaGateway = await client.ExecuteAsync("alipay.merchant.iot.device.network.query", new { device_sn = cellSn });
        Assert.True(viaGateway.IsSuccess, viaGateway.RawBody);
        Assert.Equal("CELLULAR", viaGateway.Text("network_type"));
        var simViaGateway = await client.ExecuteAsync("alipay.merchant.iot.simcard.query", new { device_sn = cellSn });
        Assert.Equal("中国联通", simViaGateway.Text("carrier"));
        var strangerApp = await stranger.NewMiniProgramAsync();
        using var strangerClient = await factory.GatewayClientAsync(strangerApp);
        var refused = await strangerClient.ExecuteAsync("alipay.merchant.iot.device.network.query", new { device_sn = cellSn });
        Assert.Equal(("40006", "isv.insufficient-isv-permissions"), (refused.Code, refused.SubCode));

        stop.Cancel();
        await Task.WhenAll(runs);
    }

    [Fact]
    public async Task OfficialSimsShowPlanUsageAndStatusToTheOperator()
    {
        var op = await factory.OperatorAsync();
        var ok = await op.GetAsync<SimInfo>("/api/tools/sim/8986089900000000001");
        Assert.True(ok.Official);
        Assert.Equal((1024, 312, "正常"), (ok.MonthlyQuotaMb!.Value, ok.UsedMb!.Value, ok.Status));
        Assert.Contains("本月流量已用完", (await op.GetAsync<SimInfo>("/api/tools/sim/8986089900000000002")).Advice);
        Assert.Contains("停机", (await op.GetAsync<SimInfo>("/api/tools/sim/8986089900000000003")).Advice);
        Assert.Equal("中国电信", (await op.GetAsync<SimInfo>("/api/tools/sim/8986031234567890123")).Carrier);
    }

    private static void WriteState(string folder, string sn, NetworkReport network)
    {
        var state = AgentState.LoadOrCreate(null, sn, TimeProvider.System);
        state.Network = network;
        state.Save(folder);
    }
}

public sealed class SqliteDiagnosticsTests(SqliteFactory f) : DiagnosticsTests(f), IClassFixture<SqliteFactory>;
public sealed class PostgresDiagnosticsTests(PostgresFactory f) : DiagnosticsTests(f), IClassFixture<PostgresFactory>;
