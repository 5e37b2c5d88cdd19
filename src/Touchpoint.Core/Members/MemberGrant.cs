namespace Touchpoint.Core.Members;

/// <summary>What a member consented to for an app (the scopes of an authorization).</summary>
[Flags]
public enum MemberScope
{
    None = 0,
    /// <summary>auth_base: the member's user_id only.</summary>
    Base = 1,
    /// <summary>auth_user: member information (alipay.user.info.share), limited to the app's approved fields.</summary>
    User = 2,
    /// <summary>phoneNumber: my.getPhoneNumber.</summary>
    PhoneNumber = 4,
}

public static class MemberScopes
{
    public static MemberScope Parse(string? scopes)
    {
        var result = MemberScope.None;
        foreach (var scope in (scopes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            result |= scope switch
            {
                "auth_base" => MemberScope.Base,
                "auth_user" => MemberScope.User,
                "phoneNumber" => MemberScope.PhoneNumber,
                _ => throw new ArgumentException($"未知的授权范围 {scope}（支持 auth_base、auth_user、phoneNumber）"),
            };
        }
        return result;
    }
}

/// <summary>
/// A one-time authorization code (auth_code) a member's consent produced for an app; exchanged once for tokens
/// (alipay.system.oauth.token) or for the phone-number payload. Stored as a hash: the code itself is a bearer secret.
/// </summary>
public sealed class MemberAuthCode
{
    public long Id { get; set; }
    public required string CodeHash { get; set; }
    public long MemberId { get; set; }
    public long AppId { get; set; }
    public MemberScope Scopes { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime ExpiresAtUtc { get; set; }
    public DateTime? UsedAtUtc { get; set; }
}

/// <summary>An access token (auth_token) and its refresh token, both stored as hashes.</summary>
public sealed class MemberAccessToken
{
    public long Id { get; set; }
    public required string AccessTokenHash { get; set; }
    public required string RefreshTokenHash { get; set; }
    public long MemberId { get; set; }
    public long AppId { get; set; }
    public MemberScope Scopes { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime ExpiresAtUtc { get; set; }
    public DateTime RefreshExpiresAtUtc { get; set; }
    /// <summary>Set when the refresh token was used: the pair is replaced, never reused.</summary>
    public DateTime? RevokedAtUtc { get; set; }
}
