using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Common;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Grants;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.DeviceChannel;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Diagnostics;

public sealed record NetworkStatus(string Sn, bool Online, NetworkType NetworkType, string? WifiSsid, int? WifiRssi,
    string? SimIccid, string? SimOperator, int? CellularSignal, DateTime? LastOnlineAtUtc, string? LastOnlineLocation,
    IReadOnlyList<ConnectionRow> History, string Advice);

public sealed record SimInfo(string Iccid, bool Official, string Carrier, string? Plan, int? MonthlyQuotaMb, int? UsedMb, string? Status,
    DateTime? ActivatedAtUtc, string Advice);

/// <summary>R11 network troubleshooting: IoT查询设备网络状态 and 查询流量卡信息, for the console and the gateway.</summary>
public sealed class NetworkDiagnostics(IDbContextFactory<TouchpointDb> factory, DeviceAccess access)
{
    public async Task<NetworkStatus> NetworkAsync(Actor actor, string sn, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.View, ct);
        var history = await db.DeviceConnectionEvents.AsNoTracking().Where(e => e.DeviceId == device.Id)
            .OrderByDescending(e => e.Id).Take(20).ToListAsync(ct);
        var drops = history.Count(e => !e.Online && ConnectionReason.IsAbnormal(e.Reason) && e.AtUtc > DateTime.UtcNow.AddHours(-24));
        var advice = !device.IsOnline
            ? "设备当前离线：请检查设备电源与网络；Wi-Fi 设备检查路由器，流量卡设备用「查询流量卡信息」查看卡状态。可尝试远程重启（设备上线后执行）。"
            : drops >= 3 ? $"最近 24 小时异常断线 {drops} 次：网络不稳定，Wi-Fi 设备请靠近路由器或更换信道，流量卡设备请检查信号。"
            : device.NetworkType == NetworkType.Wifi && device.WifiRssi < -75 ? "Wi-Fi 信号弱（低于 -75 dBm），请把设备靠近路由器。"
            : device.NetworkType == NetworkType.Cellular && device.CellularSignal <= 1 ? "移动网络信号弱，请调整设备位置。"
            : "网络正常。";
        return new NetworkStatus(device.Sn, device.IsOnline, device.NetworkType, device.WifiSsid, device.WifiRssi, device.SimIccid,
            device.SimOperator, device.CellularSignal, device.LastOnlineAtUtc, device.LastOnlineLocation,
            history.Select(e => new ConnectionRow(e.AtUtc, e.Online, e.Reason, e.Endpoint)).ToList(), advice);
    }

    /// <summary>By SN (whoever may view the device) or, for the operator, by ICCID.</summary>
    public async Task<SimInfo> SimAsync(Actor actor, string snOrIccid, CancellationToken ct = default)
    {
        var text = (snOrIccid ?? "").Trim();
        await using var db = await factory.CreateDbContextAsync(ct);
        string iccid;
        if (SimCards.IsIccid(text))
        {
            if (!actor.Is(AccountRole.Operator))
            {
                throw TouchpointException.Forbidden("请输入设备SN查询其流量卡；按 ICCID 查询仅限平台运营");
            }
            iccid = text;
        }
        else
        {
            var device = await access.RequireAsync(db, actor, text, DeviceOperation.View, ct);
            iccid = device.SimIccid ?? throw TouchpointException.Invalid(device.NetworkType == NetworkType.Cellular
                ? $"设备 {device.Sn} 尚未上报流量卡信息"
                : $"设备 {device.Sn} 当前使用{device.NetworkType.Chinese()}，没有在用的流量卡");
        }
        var card = await db.SimCards.AsNoTracking().SingleOrDefaultAsync(c => c.Iccid == iccid, ct);
        var carrier = SimCards.Carrier(iccid);
        return card is null
            ? new SimInfo(iccid, false, carrier, null, null, null, null, null, $"非官方流量卡：套餐、流量和停复机请联系{carrier}。")
            : new SimInfo(iccid, true, carrier, card.Plan, card.MonthlyQuotaMb, card.UsedMb, card.Status, card.ActivatedAtUtc,
                card.Status != "正常" ? $"官方流量卡{card.Status}，请在平台续费或联系平台客服。"
                : card.UsedMb >= card.MonthlyQuotaMb ? "本月流量已用完，设备可能无法联网，请升级套餐。" : "官方流量卡，状态正常。");
    }
}
