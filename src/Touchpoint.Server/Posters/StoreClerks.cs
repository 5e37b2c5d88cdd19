using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Audit;
using Touchpoint.Core.Common;
using Touchpoint.Core.Posters;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Audit;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Security;

namespace Touchpoint.Server.Posters;

public sealed record ClerkEdit(string? Name, string? Phone, string? Password);

/// <summary>A change to a clerk: any of a new name, enabled or disabled, a new password.</summary>
public sealed record ClerkChange(string? Name = null, bool? Disabled = null, string? Password = null);

public sealed record ClerkAccountView(long Id, string Name, string Phone, bool Disabled, DateTime CreatedAtUtc, DateTime? LastSignInAtUtc, int Placements);

public sealed record ClerkSignIn(string? Phone, string? Password);

/// <summary>A signed-in clerk: the session token the phone keeps, and who it is.</summary>
public sealed record ClerkSession(string Token, string Name, string Merchant, DateTime ExpiresAtUtc);

/// <summary>The clerk a session token stands for, while it is valid.</summary>
public sealed record SignedInClerk(long Id, long MerchantId, string Name, string Phone);

/// <summary>
/// 店员账号: the merchant makes its clerks (name, mobile, password), disables them or resets their password, and a clerk
/// signs in on the phone page. Only a merchant has clerks — a service provider places through the console by its grants,
/// and the clerk's rights come from the merchant alone. Sign-in failures are throttled like console logins.
/// </summary>
public sealed partial class StoreClerks(IDbContextFactory<TouchpointDb> factory, IPasswordHasher<StoreClerk> hasher, PosterTokens tokens,
    RequestThrottle throttle, IOptions<SecurityOptions> security, TimeProvider clock, ILogger<StoreClerks> logger)
{
    private const string BadCredentials = "手机号或密码错误";
    private static readonly StoreClerk Nobody = new() { Name = "", Phone = "", PasswordHash = "" };
    // Unknown numbers cost the same hashing as wrong passwords, so timing says nothing about who is a clerk.
    private readonly Lazy<string> _decoyHash = new(() => hasher.HashPassword(Nobody, Convert.ToBase64String(RandomNumberGenerator.GetBytes(18))));

    public async Task<IReadOnlyList<ClerkAccountView>> ListAsync(Actor actor, CancellationToken ct)
    {
        Merchant(actor);
        await using var db = await factory.CreateDbContextAsync(ct);
        var clerks = await db.StoreClerks.AsNoTracking().Where(c => c.MerchantId == actor.Id).OrderBy(c => c.Id).ToListAsync(ct);
        var ids = clerks.Select(c => (long?)c.Id).ToList();
        var placed = await db.DevicePosters.AsNoTracking().Where(p => ids.Contains(p.ClerkId)).GroupBy(p => p.ClerkId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key!.Value, g => g.Count, ct);
        return clerks.Select(c => View(c, placed.GetValueOrDefault(c.Id))).ToList();
    }

    public async Task<ClerkAccountView> CreateAsync(Actor actor, ClerkEdit edit, CancellationToken ct)
    {
        Merchant(actor);
        var name = Name(edit.Name);
        var phone = Phone(edit.Phone);
        Password(edit.Password);
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await db.StoreClerks.AnyAsync(c => c.Phone == phone, ct))
        {
            throw TouchpointException.Conflict("该手机号已被使用，请换一个号码");
        }
        var clerk = new StoreClerk { MerchantId = actor.Id, Name = name, Phone = phone, PasswordHash = "", CreatedAtUtc = clock.GetUtcNow().UtcDateTime };
        clerk.PasswordHash = hasher.HashPassword(clerk, edit.Password!);
        db.StoreClerks.Add(clerk);
        AuditLog.Add(db, clock, actor.Id, AuditAction.ClerkCreated, actor.Id, null, $"创建店员账号 {name}（{MaskMobile(phone)}）");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            if (await PhoneTakenAsync(phone))
            {
                throw TouchpointException.Conflict("该手机号已被使用，请换一个号码"); // two owners adding one number at once
            }
            throw;
        }
        return View(clerk, 0);
    }

    public async Task<ClerkAccountView> UpdateAsync(Actor actor, long id, ClerkChange change, CancellationToken ct)
    {
        Merchant(actor);
        await using var db = await factory.CreateDbContextAsync(ct);
        var clerk = await db.StoreClerks.SingleOrDefaultAsync(c => c.Id == id && c.MerchantId == actor.Id, ct)
            ?? throw TouchpointException.NotFound("店员账号不存在");
        var said = new List<string>();
        if (change.Name is not null && Name(change.Name) is var name && name != clerk.Name)
        {
            said.Add($"姓名改为 {name}");
            clerk.Name = name;
        }
        if (change.Password is not null)
        {
            Password(change.Password);
            clerk.PasswordHash = hasher.HashPassword(clerk, change.Password);
            clerk.CredentialStamp++;
            said.Add("重置密码");
        }
        if (change.Disabled is { } disabled && disabled != clerk.Disabled)
        {
            clerk.Disabled = disabled;
            if (disabled)
            {
                clerk.CredentialStamp++;
            }
            said.Add(disabled ? "停用" : "启用");
        }
        if (said.Count > 0)
        {
            AuditLog.Add(db, clock, actor.Id, AuditAction.ClerkChanged, actor.Id, null, $"店员账号 {clerk.Name}（{MaskMobile(clerk.Phone)}）：{string.Join("，", said)}");
            await db.SaveChangesAsync(ct);
        }
        var placements = await db.DevicePosters.CountAsync(p => p.ClerkId == clerk.Id, ct);
        return View(clerk, placements);
    }

    /// <summary>
    /// Removes a clerk (a typo, someone who left): its sessions end and its number is free again. The placements it made
    /// stay on air and keep its name in the slot history.
    /// </summary>
    public async Task DeleteAsync(Actor actor, long id, CancellationToken ct)
    {
        Merchant(actor);
        await using var db = await factory.CreateDbContextAsync(ct);
        var clerk = await db.StoreClerks.SingleOrDefaultAsync(c => c.Id == id && c.MerchantId == actor.Id, ct)
            ?? throw TouchpointException.NotFound("店员账号不存在");
        db.StoreClerks.Remove(clerk);
        AuditLog.Add(db, clock, actor.Id, AuditAction.ClerkChanged, actor.Id, null, $"删除店员账号 {clerk.Name}（{MaskMobile(clerk.Phone)}）");
        await db.SaveChangesAsync(ct);
    }

    public async Task<ClerkSession> SignInAsync(ClerkSignIn request, string? clientAddress, CancellationToken ct)
    {
        var phone = (request.Phone ?? "").Trim();
        var key = $"clerk:{clientAddress ?? "?"}|{(phone.Length > 20 ? phone[..20] : phone)}";
        var o = security.Value.Login;
        if (await throttle.AttemptAsync(key, o.FreeFailures, o.Window, o.MaxDelay, ct) is { } wait)
        {
            throw new TouchpointException(FailureKind.TooManyRequests, $"登录失败次数过多，请 {Math.Ceiling(wait.TotalSeconds)} 秒后再试");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var clerk = await db.StoreClerks.SingleOrDefaultAsync(c => c.Phone == phone, ct);
        var verdict = hasher.VerifyHashedPassword(clerk ?? Nobody, clerk?.PasswordHash ?? _decoyHash.Value, request.Password ?? "");
        if (clerk is null || verdict == PasswordVerificationResult.Failed)
        {
            await throttle.FailedAsync(key, o.FreeFailures, o.MaxDelay, ct);
            logger.LogWarning("Clerk sign-in failed for {Phone} from {Address}", MaskMobile(phone), clientAddress);
            throw TouchpointException.Invalid(BadCredentials);
        }
        if (clerk.Disabled || await db.Accounts.AnyAsync(a => a.Id == clerk.MerchantId && a.Disabled, ct))
        {
            // Said plainly once the password is right: the clerk should ask the shop, not retry.
            throw TouchpointException.Forbidden("该店员账号已被商家停用，请联系商家");
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            clerk.PasswordHash = hasher.HashPassword(clerk, request.Password!);
        }
        clerk.LastSignInAtUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await throttle.ResetAsync(key, ct);
        var merchant = await db.Accounts.AsNoTracking().Where(a => a.Id == clerk.MerchantId).Select(a => a.DisplayName).SingleAsync(ct);
        return new ClerkSession(tokens.ClerkSession(clerk.Id, clerk.CredentialStamp), clerk.Name, merchant,
            clock.GetUtcNow().UtcDateTime.Add(PosterTokens.ClerkSessionLifetime));
    }

    /// <summary>The clerk a session stands for; null when the token is not genuine or expired, or the clerk was disabled or reset since.</summary>
    public async Task<SignedInClerk?> ResolveAsync(TouchpointDb db, string? session, CancellationToken ct)
    {
        if (tokens.ReadClerkSession(session) is not { } s)
        {
            return null;
        }
        // A merchant account disabled by the platform takes its clerks with it.
        return await db.StoreClerks.AsNoTracking()
            .Where(c => c.Id == s.ClerkId && c.CredentialStamp == s.Stamp && !c.Disabled && db.Accounts.Any(a => a.Id == c.MerchantId && !a.Disabled))
            .Select(c => new SignedInClerk(c.Id, c.MerchantId, c.Name, c.Phone)).SingleOrDefaultAsync(ct);
    }

    public static string MaskMobile(string phone) => Members.SimulatedMembers.MaskMobile(phone);

    private async Task<bool> PhoneTakenAsync(string phone)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.StoreClerks.AnyAsync(c => c.Phone == phone);
    }

    private static ClerkAccountView View(StoreClerk c, int placements) =>
        new(c.Id, c.Name, c.Phone, c.Disabled, c.CreatedAtUtc, c.LastSignInAtUtc, placements);

    private static void Merchant(Actor actor)
    {
        if (!actor.Is(AccountRole.Merchant))
        {
            throw TouchpointException.Forbidden("店员账号由商家为自己的门店创建");
        }
    }

    internal static string Name(string? raw)
    {
        var name = raw?.Trim() ?? "";
        return name.Length is 0 or > StoreClerk.NameMaxLength ? throw TouchpointException.Invalid($"请填写店员姓名（不超过 {StoreClerk.NameMaxLength} 个字）") : name;
    }

    internal static string Phone(string? raw)
    {
        var phone = raw?.Trim() ?? "";
        return Mobile().IsMatch(phone) ? phone : throw TouchpointException.Invalid("请填写 11 位手机号，便于商家联系投放人");
    }

    private static void Password(string? password)
    {
        if ((password ?? "").Length < StoreClerk.PasswordMinLength)
        {
            throw TouchpointException.Invalid($"店员密码至少 {StoreClerk.PasswordMinLength} 位");
        }
    }

    [GeneratedRegex("^1[3-9][0-9]{9}$")]
    private static partial Regex Mobile();
}
