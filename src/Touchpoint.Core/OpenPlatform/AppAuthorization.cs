namespace Touchpoint.Core.OpenPlatform;

/// <summary>
/// A merchant's authorization of a service provider's third-party app over one of the merchant's apps (商家授权).
/// The provider calls with <see cref="Token"/> as app_auth_token and the call runs against <see cref="MerchantAppId"/>.
/// </summary>
public sealed class AppAuthorization
{
    public long Id { get; set; }
    public long MerchantAppId { get; set; }
    public long ThirdPartyAppId { get; set; }
    /// <summary>The app_auth_token, sealed (Data Protection): only the provider ever reads it back.</summary>
    public required string Token { get; set; }
    /// <summary>SHA-256 of the token: what the gateway looks a call's app_auth_token up by.</summary>
    public string? TokenHash { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? RevokedAtUtc { get; set; }

    public bool IsActive => RevokedAtUtc is null;
}
