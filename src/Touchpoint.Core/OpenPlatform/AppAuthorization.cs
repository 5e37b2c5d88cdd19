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
    public required string Token { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? RevokedAtUtc { get; set; }

    public bool IsActive => RevokedAtUtc is null;
}
