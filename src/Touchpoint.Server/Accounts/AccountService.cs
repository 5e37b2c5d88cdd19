using Microsoft.AspNetCore.Identity;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Audit;
using Touchpoint.Core.Common;
using Touchpoint.Server.Audit;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Security;

namespace Touchpoint.Server.Accounts;

public sealed record NewAccount(string LoginName, string DisplayName, AccountRole Role, string Password,
    MerchantKind? MerchantKind = null, string? IndustryCategory = null, string? ContactPhone = null);

public sealed record AccountSummary(long Id, string LoginName, string DisplayName, AccountRole Role,
    MerchantKind? MerchantKind, string? IndustryCategory, bool Disabled, DateTime CreatedAtUtc);

public sealed record CounterpartMatch(long Id, string DisplayName, AccountRole Role);

public sealed class AccountService(IDbContextFactory<TouchpointDb> factory, TimeProvider clock, IPasswordHasher<Account> hasher,
    RequestThrottle throttle, IOptions<SecurityOptions> security, ILogger<AccountService> logger)
{
    private const string BadCredentials = "账号或密码错误";
    private static readonly Account Nobody = new() { LoginName = "", DisplayName = "", PasswordHash = "" };
    // A real hash of a random password: an unknown login costs the same PBKDF2 work as a wrong password.
    private readonly Lazy<string> _decoyHash = new(() => hasher.HashPassword(Nobody, Convert.ToBase64String(RandomNumberGenerator.GetBytes(18))));

    /// <summary>
    /// Checks a password. Failures are throttled per (client address, login): after a few, each further try from that
    /// address waits a delay that doubles, so guessing is slow while the account stays usable from everywhere else
    /// (five wrong passwords typed by a stranger lock no one out). Unknown logins and wrong passwords cost the same
    /// time and get the same answer.
    /// </summary>
    public async Task<Account> AuthenticateAsync(string? loginName, string? password, string? clientAddress, CancellationToken ct = default)
    {
        var login = (loginName ?? "").Trim().ToLowerInvariant();
        var key = $"login:{clientAddress ?? "?"}|{(login.Length > 64 ? login[..64] : login)}";
        var o = security.Value.Login;
        // Counted before the password is checked: a burst of guesses sent at once is throttled like guesses one by one.
        if (await throttle.AttemptAsync(key, o.FreeFailures, o.Window, o.MaxDelay, ct) is { } wait)
        {
            logger.LogWarning("Login for {Login} from {Address} refused: throttled for {Seconds} s", login, clientAddress, (int)Math.Ceiling(wait.TotalSeconds));
            throw new TouchpointException(FailureKind.TooManyRequests, $"登录失败次数过多，请 {Wait(wait)}后再试");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.LoginName == login, ct);
        var verdict = hasher.VerifyHashedPassword(account ?? Nobody, account?.PasswordHash ?? _decoyHash.Value, password ?? "");
        if (account is null || account.Disabled || verdict == PasswordVerificationResult.Failed)
        {
            var delay = await throttle.FailedAsync(key, o.FreeFailures, o.MaxDelay, ct);
            logger.LogWarning("Login failed for {Login} from {Address}{Known}; next try in {Seconds} s", login, clientAddress,
                account is null ? " (unknown login)" : "", (int)delay.TotalSeconds);
            throw TouchpointException.Invalid(BadCredentials);
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            account.PasswordHash = hasher.HashPassword(account, password!);
            await db.SaveChangesAsync(ct);
        }
        await throttle.ResetAsync(key, ct);
        logger.LogInformation("Login of {Login} from {Address}", login, clientAddress);
        return account;
    }

    private static string Wait(TimeSpan t) => t.TotalSeconds < 60 ? $"{Math.Ceiling(t.TotalSeconds)} 秒" : $"{Math.Ceiling(t.TotalMinutes)} 分钟";

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
        return ToSummary(account);
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
        return (await query.OrderBy(a => a.Id).ToListAsync(ct)).Select(ToSummary).ToList();
    }

    /// <summary>
    /// The counterpart picker (发起授权): the one merchant or service provider with exactly this login name or account
    /// id, shown with a masked name (杭*科技有限公司) — enough to confirm the counterpart one was told, never a way to
    /// list the directory. Rate-limited per account like the owner lookup.
    /// </summary>
    public async Task<IReadOnlyList<CounterpartMatch>> SearchCounterpartsAsync(Actor actor, string? text, CancellationToken ct = default)
    {
        var needle = (text ?? "").Trim().ToLowerInvariant();
        if (needle.Length == 0)
        {
            return [];
        }
        var o = security.Value;
        if (!await throttle.TryAcquireAsync($"account-search:{actor.Id}", o.AccountSearchPermits, o.AccountSearchWindow, ct))
        {
            throw new TouchpointException(FailureKind.TooManyRequests, "查询过于频繁，请稍后再试");
        }
        long? id = long.TryParse(needle, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
        await using var db = await factory.CreateDbContextAsync(ct);
        var found = await db.Accounts.AsNoTracking()
            .Where(a => a.Id != actor.Id && !a.Disabled &&
                        (a.Role == AccountRole.Merchant || a.Role == AccountRole.ServiceProvider) &&
                        (a.LoginName == needle || a.Id == id))
            .OrderBy(a => a.Id).Take(2).ToListAsync(ct);
        return found.Select(a => new CounterpartMatch(a.Id, Core.Ownership.OwnerNameMask.Mask(a.DisplayName), a.Role)).ToList();
    }

    public async Task<AccountSummary?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        return account is null ? null : ToSummary(account);
    }

    private static AccountSummary ToSummary(Account a) =>
        new(a.Id, a.LoginName, a.DisplayName, a.Role, a.MerchantKind, a.IndustryCategory, a.Disabled, a.CreatedAtUtc);
}
