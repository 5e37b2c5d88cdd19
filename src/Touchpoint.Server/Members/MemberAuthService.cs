using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Members;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.OpenApi;

namespace Touchpoint.Server.Members;

public sealed record IssuedTokens(string UserId, string AccessToken, long ExpiresIn, string RefreshToken, long ReExpiresIn, DateTime AuthStartUtc);

/// <summary>
/// A member's consent (授权) and what it yields: one-time auth codes, then access and refresh tokens
/// (alipay.system.oauth.token). Codes and tokens are random, shown once and stored only as SHA-256 hashes.
/// </summary>
public sealed class MemberAuthService(IDbContextFactory<TouchpointDb> factory, TimeProvider clock)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan AccessLifetime = TimeSpan.FromDays(15);
    public static readonly TimeSpan RefreshLifetime = TimeSpan.FromDays(30);

    /// <summary>The member tapped 允许: an auth code for this app and these scopes.</summary>
    public async Task<string> ConsentAsync(string appId, string memberUserId, MemberScope scopes, CancellationToken ct = default)
    {
        if (scopes == MemberScope.None)
        {
            throw OpenPlatformViolation.Missing("scopes");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var app = await db.DeveloperApps.AsNoTracking().SingleOrDefaultAsync(a => a.AppId == appId, ct)
            ?? throw OpenPlatformViolation.Invalid("isv.invalid-app-id", $"无效的 AppID 参数 {appId}");
        var member = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.UserId == memberUserId, ct)
            ?? throw OpenPlatformViolation.Invalid("isv.invalid-user-id", $"会员 {memberUserId} 不存在");
        var code = NewSecret();
        var now = clock.GetUtcNow().UtcDateTime;
        db.MemberAuthCodes.Add(new MemberAuthCode
        {
            CodeHash = Hash(code), MemberId = member.Id, AppId = app.Id, Scopes = scopes, CreatedAtUtc = now, ExpiresAtUtc = now + CodeLifetime,
        });
        await db.SaveChangesAsync(ct);
        return code;
    }

    /// <summary>Spends an auth code of <paramref name="appRowId"/>; it works once, within five minutes.</summary>
    public async Task<(Member Member, MemberScope Scopes)> RedeemAsync(long appRowId, string? code, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            throw OpenPlatformViolation.Missing("code");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var hash = Hash(code.Trim());
        // One UPDATE marks the code used, so two redemptions racing for it cannot both succeed.
        var spent = await db.MemberAuthCodes
            .Where(c => c.CodeHash == hash && c.AppId == appRowId && c.UsedAtUtc == null && c.ExpiresAtUtc > now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAtUtc, now), ct);
        if (spent == 0)
        {
            throw OpenPlatformViolation.Invalid("isv.code-invalid", "授权码 code 无效（不存在、已使用、已过期或不属于该应用）");
        }
        var row = await db.MemberAuthCodes.AsNoTracking().SingleAsync(c => c.CodeHash == hash, ct);
        var member = await db.Members.AsNoTracking().SingleAsync(m => m.Id == row.MemberId, ct);
        return (member, row.Scopes);
    }

    /// <summary>grant_type=authorization_code.</summary>
    public async Task<IssuedTokens> ExchangeCodeAsync(long appRowId, string? code, CancellationToken ct = default)
    {
        var (member, scopes) = await RedeemAsync(appRowId, code, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await IssueAsync(db, appRowId, member, scopes, ct);
    }

    /// <summary>grant_type=refresh_token: a new pair; the old one stops working.</summary>
    public async Task<IssuedTokens> RefreshAsync(long appRowId, string? refreshToken, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(refreshToken))
        {
            throw OpenPlatformViolation.Missing("refresh_token");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var hash = Hash(refreshToken.Trim());
        var revoked = await db.MemberAccessTokens
            .Where(t => t.RefreshTokenHash == hash && t.AppId == appRowId && t.RevokedAtUtc == null && t.RefreshExpiresAtUtc > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAtUtc, now), ct);
        if (revoked == 0)
        {
            throw OpenPlatformViolation.Invalid("isv.refresh-token-invalid", "刷新令牌 refresh_token 无效（不存在、已使用或已过期）");
        }
        var old = await db.MemberAccessTokens.AsNoTracking().SingleAsync(t => t.RefreshTokenHash == hash, ct);
        var member = await db.Members.AsNoTracking().SingleAsync(m => m.Id == old.MemberId, ct);
        return await IssueAsync(db, appRowId, member, old.Scopes, ct);
    }

    /// <summary>The member and scopes behind an auth_token of this app, or 20001.</summary>
    public async Task<(Member Member, MemberScope Scopes)> ResolveAsync(long appRowId, string? accessToken, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(accessToken))
        {
            throw GatewayError.Missing("isv.missing-auth-token", "缺少用户授权令牌 auth_token");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var hash = Hash(accessToken.Trim());
        var token = await db.MemberAccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.AccessTokenHash == hash && t.AppId == appRowId, ct);
        if (token is null || token.RevokedAtUtc is not null)
        {
            throw GatewayError.InvalidToken("aop.invalid-auth-token", "无效的访问令牌 auth_token");
        }
        if (token.ExpiresAtUtc <= clock.GetUtcNow().UtcDateTime)
        {
            throw GatewayError.InvalidToken("aop.auth-token-time-out", "访问令牌 auth_token 已过期，请用 refresh_token 刷新");
        }
        return (await db.Members.AsNoTracking().SingleAsync(m => m.Id == token.MemberId, ct), token.Scopes);
    }

    private async Task<IssuedTokens> IssueAsync(TouchpointDb db, long appRowId, Member member, MemberScope scopes, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (access, refresh) = (NewSecret(), NewSecret());
        db.MemberAccessTokens.Add(new MemberAccessToken
        {
            AccessTokenHash = Hash(access), RefreshTokenHash = Hash(refresh), MemberId = member.Id, AppId = appRowId, Scopes = scopes,
            CreatedAtUtc = now, ExpiresAtUtc = now + AccessLifetime, RefreshExpiresAtUtc = now + RefreshLifetime,
        });
        await db.SaveChangesAsync(ct);
        return new IssuedTokens(member.UserId, "authusrB" + access, (long)AccessLifetime.TotalSeconds, "authusrB" + refresh,
            (long)RefreshLifetime.TotalSeconds, now);
    }

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    /// <summary>Tokens carry Alipay's "authusrB" prefix on the wire; the hash is over the random part either way.</summary>
    internal static string Hash(string secret)
    {
        var raw = secret.StartsWith("authusrB", StringComparison.Ordinal) ? secret[8..] : secret;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)));
    }
}
