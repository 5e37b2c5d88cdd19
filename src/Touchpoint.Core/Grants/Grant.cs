namespace Touchpoint.Core.Grants;

/// <summary>An owner's authorization of another account over some of its devices (授权).</summary>
public sealed class Grant
{
    public long Id { get; set; }
    public long OwnerId { get; set; }
    public long GranteeId { get; set; }
    public GrantPermissions Permissions { get; set; }
    /// <summary>Optional end: the grant stops applying at this instant (end of the chosen day, China time).</summary>
    public DateTime? ExpiresAtUtc { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? RevokedAtUtc { get; set; }
    public string? Note { get; set; }
    public List<GrantDevice> Devices { get; set; } = [];

    public bool IsActiveAt(DateTime nowUtc) =>
        RevokedAtUtc is null && (ExpiresAtUtc is null || ExpiresAtUtc > nowUtc);
}

public sealed class GrantDevice
{
    public long GrantId { get; set; }
    public long DeviceId { get; set; }
}
