namespace Touchpoint.Core.Posters;

/// <summary>
/// 投放计划 as Alipay's <c>alipay.commerce.iot.advertiser.ad.*</c> methods know it: one material (a poster of the caller's
/// library) on a list of devices for a window, created through the gateway, narrowed with <c>ad.modify</c>
/// (<c>delete_sn_list</c>) and ended with <c>ad.cancel</c>. Its placements are ordinary <see cref="DevicePoster"/> rows
/// (path Gateway), so the 3 + 3 rule, admin mode and the troubleshooting tool treat it as any other placement.
/// </summary>
public sealed class PosterAd
{
    public long Id { get; set; }
    /// <summary>The account that created it (the merchant, or the service provider acting with its grants).</summary>
    public long OwnerId { get; set; }
    /// <summary>The merchant a provider's app acted for (app_auth_token): the plan is seen only under that merchant's token, and by the merchant.</summary>
    public long? OnBehalfOfId { get; set; }
    public long PosterId { get; set; }
    public required string PlanName { get; set; }
    /// <summary>The ad slot; Touchpoint has one, <c>idle</c> (the idle rotation).</summary>
    public required string Event { get; set; }
    public string? DeviceType { get; set; }
    public DateTime WindowStart { get; set; }
    public DateTime? WindowEnd { get; set; }
    public PosterAdStatus Status { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime ModifiedAtUtc { get; set; }

    public const int PlanNameMaxLength = 64;
    public const string IdleEvent = "idle";
}

public enum PosterAdStatus
{
    /// <summary>Placed (its window may not have begun, or may have ended where the device stands).</summary>
    Valid,
    Cancelled,
}
