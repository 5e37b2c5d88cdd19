namespace Touchpoint.Core.Ownership;

/// <summary>进件入口: issued by the operator to a manufacturer, for devices that will belong to a target owner.</summary>
public sealed class OnboardingEntry
{
    public long Id { get; set; }
    public long ManufacturerId { get; set; }
    public long TargetOwnerId { get; set; }
    public string? Note { get; set; }
    public long IssuedById { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public bool Closed { get; set; }
    public List<OnboardingItem> Items { get; set; } = [];
}

public enum OnboardingItemStatus
{
    /// <summary>待授权: submitted by the manufacturer, waiting for the owner.</summary>
    PendingAuthorization = 1,
    /// <summary>已授权: the owner accepted; ownership moved.</summary>
    Authorized = 2,
    /// <summary>已拒绝: the owner declined; the device went back to stock.</summary>
    Declined = 3,
}

/// <summary>One device submitted through an onboarding entry.</summary>
public sealed class OnboardingItem
{
    public long Id { get; set; }
    public long EntryId { get; set; }
    public long DeviceId { get; set; }
    public OnboardingItemStatus Status { get; set; }
    public DateTime SubmittedAtUtc { get; set; }
    public DateTime? DecidedAtUtc { get; set; }
}

public static class OnboardingNames
{
    public static string Chinese(this OnboardingItemStatus status) => status switch
    {
        OnboardingItemStatus.PendingAuthorization => "待授权",
        OnboardingItemStatus.Authorized => "已授权",
        OnboardingItemStatus.Declined => "已拒绝",
        _ => status.ToString(),
    };
}
