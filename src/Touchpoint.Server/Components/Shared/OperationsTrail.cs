using Touchpoint.Core.Accounts;

namespace Touchpoint.Server.Components.Shared;

/// <summary>
/// R19's path to the 设备运营 pages: 运营中心 > 运营中心 for the owner, 运营中心 > 代运营中心 for a service provider acting
/// on granted devices, 平台运营 for the operator.
/// </summary>
public static class OperationsTrail
{
    public static string[] For(AccountRole role) => role switch
    {
        AccountRole.ServiceProvider => ["运营中心", "代运营中心", "设备运营"],
        AccountRole.Operator => ["平台运营", "设备运营"],
        _ => ["运营中心", "运营中心", "设备运营"],
    };
}
