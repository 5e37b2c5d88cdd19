namespace Touchpoint.Core.Grants;

/// <summary>The four permission types an owner can grant (R4).</summary>
[Flags]
public enum GrantPermissions
{
    None = 0,
    /// <summary>海报投放.</summary>
    Poster = 1,
    /// <summary>应用分发.</summary>
    AppDistribution = 2,
    /// <summary>播报运营.</summary>
    Broadcast = 4,
    /// <summary>远程管理.</summary>
    RemoteManagement = 8,
    All = Poster | AppDistribution | Broadcast | RemoteManagement,
}

public static class GrantPermissionNames
{
    public static readonly IReadOnlyList<GrantPermissions> Each =
        [GrantPermissions.Poster, GrantPermissions.AppDistribution, GrantPermissions.Broadcast, GrantPermissions.RemoteManagement];

    public static string Chinese(this GrantPermissions permission) => permission switch
    {
        GrantPermissions.Poster => "海报投放",
        GrantPermissions.AppDistribution => "应用分发",
        GrantPermissions.Broadcast => "播报运营",
        GrantPermissions.RemoteManagement => "远程管理",
        GrantPermissions.None => "无",
        _ => string.Join("、", Each.Where(p => permission.HasFlag(p)).Select(p => p.Chinese())),
    };
}
