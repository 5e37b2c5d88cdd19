namespace Touchpoint.Core.Accounts;

public sealed class Account
{
    public long Id { get; set; }
    /// <summary>Login name, unique, compared case-insensitively (stored lower-case).</summary>
    public required string LoginName { get; set; }
    /// <summary>Legal or display name, e.g. 杭州云点科技有限公司.</summary>
    public required string DisplayName { get; set; }
    public AccountRole Role { get; set; }
    public MerchantKind? MerchantKind { get; set; }
    /// <summary>Industry category (行业类目) of a merchant, e.g. 餐饮.</summary>
    public string? IndustryCategory { get; set; }
    public string? ContactPhone { get; set; }
    public required string PasswordHash { get; set; }
    // Written by versions before issue 10, which locked accounts; logins are now throttled per client address
    // (RequestThrottle). Kept so that upgrading drops no column.
    public int FailedLoginCount { get; set; }
    public DateTime? LockoutEndUtc { get; set; }
    public bool Disabled { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}
