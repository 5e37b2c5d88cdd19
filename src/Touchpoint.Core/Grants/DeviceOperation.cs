namespace Touchpoint.Core.Grants;

/// <summary>Everything an account may try to do to a device; every endpoint asks for one of these.</summary>
public enum DeviceOperation
{
    /// <summary>See the device, its details and export it.</summary>
    View,
    Poster,
    AppDistribution,
    Broadcast,
    RemoteManagement,
    /// <summary>Grant the device to others or revoke grants: the owner's alone.</summary>
    ManageGrants,
    /// <summary>
    /// 签发设备密钥: a new key revokes the terminal's old one, so it is remote management — plus the manufacturer
    /// while the device has no owner yet (it flashes the key before shipping), never after it was handed over.
    /// </summary>
    IssueKey,
    /// <summary>
    /// 收款: take payments at the terminal (face, payment code). The money is the owner's, so only the owner, or an app
    /// acting for the owner with its app_auth_token; no grant carries it.
    /// </summary>
    Collect,
}

public static class DeviceOperationNames
{
    public static string Chinese(this DeviceOperation operation) => operation switch
    {
        DeviceOperation.View => "查看",
        DeviceOperation.Poster => "海报投放",
        DeviceOperation.AppDistribution => "应用分发",
        DeviceOperation.Broadcast => "播报运营",
        DeviceOperation.RemoteManagement => "远程管理",
        DeviceOperation.ManageGrants => "授权管理",
        DeviceOperation.IssueKey => "签发设备密钥",
        DeviceOperation.Collect => "收款",
        _ => operation.ToString(),
    };
}
