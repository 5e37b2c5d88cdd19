using Touchpoint.Core.Devices;
using Touchpoint.Server.Common;

namespace Touchpoint.Server.Devices;

/// <summary>The export's columns, in order; the CSV and the XLSX writers both read this one list.</summary>
internal static class DeviceExportColumns
{
    public static readonly string[] Headers =
    [
        "设备SN", "设备类型", "型号", "设备所有者", "在线状态", "出货渠道", "出让类型", "所有权更新时间",
        "主要应用版本", "最后开机时间", "最后在线时间", "最后在线位置", "网络类型", "安卓版本",
    ];

    public static string[] Values(DeviceRow r) =>
    [
        r.Sn, r.Type.Chinese(), r.Model, r.OwnerName ?? "", r.IsOnline ? "在线" : "离线", r.ShipmentChannel.Chinese(),
        r.TransferType.Chinese(), ChinaTime.Format(r.OwnershipUpdatedAtUtc), r.Apps, ChinaTime.Format(r.LastBootAtUtc),
        ChinaTime.Format(r.LastOnlineAtUtc), r.LastOnlineLocation ?? "", r.NetworkType.Chinese(), r.AndroidVersion ?? "",
    ];
}
