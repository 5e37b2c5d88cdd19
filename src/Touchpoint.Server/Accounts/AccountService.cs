using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Audit;
using Touchpoint.Core.Common;
using Touchpoint.Server.Audit;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Accounts;

public sealed record NewAccount(string LoginName, string DisplayName, AccountRole Role, string Password,
    MerchantKind? MerchantKind = null, string? IndustryCategory = null, string? ContactPhone = null);

public sealed record AccountSummary(long Id, string LoginName, string DisplayName, AccountRole Role,
    MerchantKind? MerchantKind, string? IndustryCategory, bool Locked, DateTime CreatedAtUtc);

public sealed class AccountService(IDbContextFactory<TouchpointDb> factory, TimeProvider clock, IPasswordHasher<Account> hasher)
{
    public const int MaxFailedLogins = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    private const string BadCredentials = "账号或密码错误";

    /// <summary>Checks a password; counts failures and locks the account for a while after too many.</summary>
    public async Task<Account> AuthenticateAsync(string? loginName, string? password, CancellationToken ct = default)
    {
        var login = (loginName ?? "").Trim().ToLowerInvariant();
        await using var db = await factory.CreateDbContextAsync(ct);
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.LoginName == login, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (account is null || account.Disabled)
        {
            throw TouchpointException.Invalid(BadCredentials);
        }
        if (account.LockoutEndUtc > now)
        {
            var minutes = (int)Math.Ceiling((account.LockoutEndUtc.Value - now).TotalMinutes);
            throw new TouchpointException(FailureKind.TooManyRequests, $"登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试");
        }
        var verdict = hasher.VerifyHashedPassword(account, account.PasswordHash, password ?? "");
        if (verdict == PasswordVerificationResult.Failed)
        {
            account.FailedLoginCount++;
            if (account.FailedLoginCount >= MaxFailedLogins)
            {
                account.FailedLoginCount = 0;
                account.LockoutEndUtc = now + LockoutDuration;
            }
            await db.SaveChangesAsync(ct);
            throw TouchpointException.Invalid(BadCredentials);
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            account.PasswordHash = hasher.HashPassword(account, password!);
        }
        account.FailedLoginCount = 0;
        account.LockoutEndUtc = null;
        await db.SaveChangesAsync(ct);
        return account;
    }

    public async Task<AccountSummary> CreateAsync(Actor actor, NewAccount request, CancellationToken ct = default)
    {
        if (!actor.Is(AccountRole.Operator))
        {
            throw TouchpointException.Forbidden("只有平台运营可以创建账号");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var account = await AddAsync(db, request, ct);
        AuditLog.Add(db, clock, actor.Id, AuditAction.AccountCreated, null, null,
            $"创建{request.Role.Chinese()}账号 {account.LoginName}（{account.DisplayName}）");
        await db.SaveChangesAsync(ct);
        return ToSummary(account, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Validates and stages a new account in <paramref name="db"/>; used by the console and the demo seed.</summary>
    internal async Task<Account> AddAsync(TouchpointDb db, NewAccount request, CancellationToken ct)
    {
        var login = LoginName.Normalize(request.LoginName);
        var name = (request.DisplayName ?? "").Trim();
        if (name.Length is 0 or > 128)
        {
            throw TouchpointException.Invalid("名称不能为空，且不超过 128 个字符");
        }
        if (!Enum.IsDefined(request.Role))
        {
            throw TouchpointException.Invalid("账号角色无效");
        }
        if ((request.Password ?? "").Length < 8)
        {
            throw TouchpointException.Invalid("密码至少 8 位");
        }
        if (request.Role == AccountRole.Merchant && request.MerchantKind is null)
        {
            throw TouchpointException.Invalid("商家账号需要选择主体类型（企业或个体工商户）");
        }
        if (await db.Accounts.AnyAsync(a => a.LoginName == login, ct))
        {
            throw TouchpointException.Conflict($"登录名 {login} 已被使用");
        }
        var account = new Account
        {
            LoginName = login,
            DisplayName = name,
            Role = request.Role,
            MerchantKind = request.Role == AccountRole.Merchant ? request.MerchantKind : null,
            IndustryCategory = string.IsNullOrWhiteSpace(request.IndustryCategory) ? null : request.IndustryCategory.Trim(),
            ContactPhone = string.IsNullOrWhiteSpace(request.ContactPhone) ? null : request.ContactPhone.Trim(),
            PasswordHash = "",
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
        };
        account.PasswordHash = hasher.HashPassword(account, request.Password!);
        db.Accounts.Add(account);
        return account;
    }

    public async Task<IReadOnlyList<AccountSummary>> ListAsync(Actor actor, AccountRole? role = null, CancellationToken ct = default)
    {
        if (!actor.Is(AccountRole.Operator))
        {
            throw TouchpointException.Forbidden("只有平台运营可以查看账号列表");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = db.Accounts.AsNoTracking();
        if (role is not null)
        {
            query = query.Where(a => a.Role == role);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        return (await query.OrderBy(a => a.Id).ToListAsync(ct)).Select(a => ToSummary(a, now)).ToList();
    }

    /// <summary>
    /// Accounts another account may name as a grantee or counterpart: merchants and service providers,
    /// by exact login name or a part of the display name. Never the whole directory.
    /// </summary>
    public async Task<IReadOnlyList<AccountSummary>> SearchCounterpartsAsync(Actor actor, string? text, CancellationToken ct = default)
    {
        var needle = (text ?? "").Trim();
        if (needle.Length < 2)
        {
            return [];
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var lower = needle.ToLowerInvariant();
        var now = clock.GetUtcNow().UtcDateTime;
        var found = await db.Accounts.AsNoTracking()
            .Where(a => a.Id != actor.Id && !a.Disabled &&
                        (a.Role == AccountRole.Merchant || a.Role == AccountRole.ServiceProvider) &&
                        (a.LoginName == lower || a.DisplayName.Contains(needle)))
            .OrderBy(a => a.Id).Take(20).ToListAsync(ct);
        return found.Select(a => ToSummary(a, now)).ToList();
    }

    public async Task<AccountSummary?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        return account is null ? null : ToSummary(account, clock.GetUtcNow().UtcDateTime);
    }

    private static AccountSummary ToSummary(Account a, DateTime now) =>
        new(a.Id, a.LoginName, a.DisplayName, a.Role, a.MerchantKind, a.IndustryCategory, a.LockoutEndUtc > now, a.CreatedAtUtc);
}
