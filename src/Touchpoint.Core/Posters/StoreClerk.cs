namespace Touchpoint.Core.Posters;

/// <summary>
/// 店员账号 (R18): a clerk of one merchant, made by the merchant, who signs in on the phone page the device's QR code
/// opens and places posters on that merchant's devices while they are not in admin mode. Not a console account: a clerk
/// can do this one thing and nothing else, so it has no role in the console's authorization.
/// </summary>
public sealed class StoreClerk
{
    public long Id { get; set; }
    /// <summary>The merchant account the clerk works for; its devices are the only ones the clerk reaches.</summary>
    public long MerchantId { get; set; }
    public required string Name { get; set; }
    /// <summary>The clerk's mobile number: the sign-in name, unique on the platform, and the contact the troubleshooting tool shows masked.</summary>
    public required string Phone { get; set; }
    public required string PasswordHash { get; set; }
    public bool Disabled { get; set; }
    /// <summary>Moved on when the clerk is disabled or the password is reset, which ends every session signed before.</summary>
    public int CredentialStamp { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? LastSignInAtUtc { get; set; }

    public const int NameMaxLength = 20;
    public const int PasswordMinLength = 8;
}
