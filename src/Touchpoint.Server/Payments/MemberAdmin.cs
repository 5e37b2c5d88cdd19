using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Common;
using Touchpoint.Core.Members;
using Touchpoint.Core.Payments;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Payments;

public sealed record FundingView(long Id, FundingKind Kind, string Name, string Balance, int Priority);

public sealed record MemberView(string UserId, string NickName, string UserName, string Mobile, bool FacePayEnabled, FaceStatus FaceStatus,
    string FaceStatusName, bool LookAlike, IReadOnlyList<FundingView> Funding, string PaidToday, int Revision);

public sealed record FundingEdit(FundingKind Kind, string? Name, string? Balance);

public sealed record MemberEdit(string? NickName, string? UserName, string? Mobile, bool FacePayEnabled = true, FaceStatus FaceStatus = FaceStatus.Normal,
    bool LookAlike = false, IReadOnlyList<FundingEdit>? Funding = null, int? Revision = null);

/// <summary>
/// 平台运营 > 会员: the simulated consumers that pay at terminals — face-pay switch, face status, look-alike flag, funding
/// and balances — and their rotating payment codes. Members are the operator's to change; other accounts read the
/// list masked (开放平台 > 沙箱账号).
/// </summary>
public sealed class MemberAdmin(IDbContextFactory<TouchpointDb> factory, IOptions<PaymentOptions> options, TimeProvider clock)
{
    public async Task<IReadOnlyList<MemberView>> ListAsync(Actor actor, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var full = actor.Role == AccountRole.Operator;
        // Others see the sandbox's own accounts (沙箱账号), masked; members an operator adds are the operator's to share.
        var sandbox = Members.SimulatedMembers.All.Select(m => m.UserId).ToList();
        var members = await db.Members.AsNoTracking().Where(m => full || sandbox.Contains(m.UserId)).OrderBy(m => m.UserId).ToListAsync(ct);
        var funding = (await db.FundingSources.AsNoTracking().OrderBy(f => f.Priority).ThenBy(f => f.Id).ToListAsync(ct)).ToLookup(f => f.MemberId);
        var today = Money.ChinaDay(clock.GetUtcNow().UtcDateTime);
        var paid = await db.FaceDailyTotals.AsNoTracking().Where(t => t.Day == today).ToDictionaryAsync(t => t.MemberId, t => t.Cents, ct);
        return members.Select(m => View(m, funding[m.Id], paid.GetValueOrDefault(m.Id), full)).ToList();
    }

    public async Task<MemberView> GetAsync(Actor actor, string userId, CancellationToken ct) =>
        (await ListAsync(actor, ct)).SingleOrDefault(m => m.UserId == userId) ?? throw TouchpointException.NotFound($"会员不存在：{userId}");

    public async Task<MemberView> CreateAsync(Actor actor, MemberEdit edit, CancellationToken ct)
    {
        RequireOperator(actor);
        var (nick, name, mobile) = Check(edit);
        var funding = Funding(0, edit.Funding ?? DefaultFunding()).ToList();
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await db.Members.AnyAsync(m => m.Mobile == mobile, ct))
        {
            throw TouchpointException.Conflict($"手机号 {mobile} 已被其他会员使用");
        }
        var member = new Member
        {
            UserId = "2088" + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture)
                + RandomNumberGenerator.GetInt32(100, 999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            NickName = nick, UserName = name, Mobile = mobile, CertNo = "", Address = "", Province = "", City = "",
            FacePayEnabled = edit.FacePayEnabled, FaceStatus = edit.FaceStatus, LookAlike = edit.LookAlike,
        };
        db.Members.Add(member);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            throw TouchpointException.Conflict("会员已存在，请重试");
        }
        db.FundingSources.AddRange(Funding(member.Id, edit.Funding ?? DefaultFunding()));
        await db.SaveChangesAsync(ct);
        Audit.AuditLog.Add(db, clock, actor.Id, Core.Audit.AuditAction.MemberCreated, null, null, $"新建会员 {nick}（{member.UserId}）");
        await db.SaveChangesAsync(ct);
        return await GetAsync(actor, member.UserId, ct);
    }

    public async Task<MemberView> UpdateAsync(Actor actor, string userId, MemberEdit edit, CancellationToken ct)
    {
        RequireOperator(actor);
        var (nick, name, mobile) = Check(edit);
        await using var db = await factory.CreateDbContextAsync(ct);
        var member = await db.Members.SingleOrDefaultAsync(m => m.UserId == userId, ct) ?? throw TouchpointException.NotFound($"会员不存在：{userId}");
        if (edit.Revision is { } revision && revision != member.Revision)
        {
            throw TouchpointException.Conflict("会员信息已被其他人修改，请刷新后重试");
        }
        if (mobile != member.Mobile && await db.Members.AnyAsync(m => m.Mobile == mobile && m.Id != member.Id, ct))
        {
            throw TouchpointException.Conflict($"手机号 {mobile} 已被其他会员使用");
        }
        (member.NickName, member.UserName, member.Mobile) = (nick, name, mobile);
        (member.FacePayEnabled, member.FaceStatus, member.LookAlike) = (edit.FacePayEnabled, edit.FaceStatus, edit.LookAlike);
        member.Revision++;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw TouchpointException.Conflict("会员信息已被其他人修改，请刷新后重试");
        }
        if (edit.Funding is { } funding)
        {
            // Changed in place, position by position: trades keep pointing at the source that paid them (a refund goes back
            // there). Balances are set as typed: a payment in between is overwritten, as an operator resetting a sandbox expects.
            var wanted = Funding(member.Id, funding).ToList();
            var memberId = member.Id;
            var existing = await db.FundingSources.Where(f => f.MemberId == memberId).OrderBy(f => f.Priority).ToListAsync(ct);
            for (var i = 0; i < wanted.Count; i++)
            {
                if (i < existing.Count)
                {
                    (existing[i].Kind, existing[i].Name, existing[i].BalanceCents, existing[i].Priority) = (wanted[i].Kind, wanted[i].Name, wanted[i].BalanceCents, i);
                }
                else
                {
                    db.FundingSources.Add(wanted[i]);
                }
            }
            db.FundingSources.RemoveRange(existing.Skip(wanted.Count));
            await db.SaveChangesAsync(ct);
        }
        Audit.AuditLog.Add(db, clock, actor.Id, Core.Audit.AuditAction.MemberUpdated, null, null,
            $"修改会员 {nick}（{member.UserId}）：刷脸支付{(member.FacePayEnabled ? "开通" : "关闭")}，人脸状态{member.FaceStatus.Chinese()}{(member.LookAlike ? "，相似脸" : "")}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await GetAsync(actor, userId, ct);
    }

    /// <summary>
    /// 付款码: a fresh 18-digit code (28…) each time the client shows one, valid for a short while and once. An earlier code
    /// still on a cashier's scanner works until it expires, as on Alipay, where the code on screen refreshes every minute.
    /// </summary>
    public async Task<(string Code, DateTime ExpiresAtUtc)> PaymentCodeAsync(string userId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var member = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.UserId == userId, ct) ?? throw TouchpointException.NotFound($"会员不存在：{userId}");
        var now = clock.GetUtcNow().UtcDateTime;
        await db.PaymentCodes.Where(c => c.ExpiresAtUtc < now.AddDays(-1)).ExecuteDeleteAsync(ct);
        var code = "28" + RandomNumberGenerator.GetInt32(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture)
            + RandomNumberGenerator.GetInt32(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var expires = now.AddSeconds(options.Value.PaymentCodeSeconds);
        db.PaymentCodes.Add(new PaymentCode { CodeHash = TradeService.Hash(code), MemberId = member.Id, IssuedAtUtc = now, ExpiresAtUtc = expires });
        await db.SaveChangesAsync(ct);
        return (code, expires);
    }

    public static IReadOnlyList<FundingEdit> DefaultFunding() =>
        [new(FundingKind.Balance, "余额", "3000.00"), new(FundingKind.Huabei, "花呗", "5000.00"), new(FundingKind.BankCard, "招商银行储蓄卡(6214)", "20000.00")];

    private static IEnumerable<FundingSource> Funding(long memberId, IReadOnlyList<FundingEdit> funding)
    {
        if (funding.Count > 5)
        {
            throw TouchpointException.Invalid("每个会员最多 5 个付款方式");
        }
        return funding.Select((f, i) => new FundingSource
        {
            MemberId = memberId, Kind = f.Kind, Priority = i,
            Name = string.IsNullOrWhiteSpace(f.Name) ? f.Kind.Chinese() : f.Name.Trim().Length > 40 ? throw TouchpointException.Invalid("付款方式名称最长 40 个字") : f.Name.Trim(),
            BalanceCents = Money.ParseCents(f.Balance) is { } c and >= 0 and <= Money.MaxTradeCents ? c
                : throw TouchpointException.Invalid($"{f.Name ?? f.Kind.Chinese()} 的余额格式不正确：单位为元，最多两位小数"),
        }).ToList();
    }

    private static (string Nick, string Name, string Mobile) Check(MemberEdit edit)
    {
        var nick = edit.NickName?.Trim() ?? "";
        var name = edit.UserName?.Trim() ?? "";
        var mobile = edit.Mobile?.Trim() ?? "";
        if (nick.Length is 0 or > 40 || name.Length is 0 or > 40)
        {
            throw TouchpointException.Invalid("昵称与姓名必填，最长 40 个字");
        }
        if (mobile.Length != 11 || !mobile.All(char.IsAsciiDigit) || mobile[0] != '1')
        {
            throw TouchpointException.Invalid("手机号格式不正确：11 位数字，以 1 开头");
        }
        return (nick, name, mobile);
    }

    private static void RequireOperator(Actor actor)
    {
        if (actor.Role != AccountRole.Operator)
        {
            throw TouchpointException.Forbidden("只有平台运营可以新建或修改会员");
        }
    }

    private static MemberView View(Member m, IEnumerable<FundingSource> funding, long paidToday, bool full) => new(
        m.UserId, m.NickName, full ? m.UserName : TradeView.MaskName(m.UserName), full ? m.Mobile : Members.SimulatedMembers.MaskMobile(m.Mobile),
        m.FacePayEnabled, m.FaceStatus, m.FaceStatus.Chinese(), full && m.LookAlike,
        full ? funding.Select(f => new FundingView(f.Id, f.Kind, f.Name, Money.Format(f.BalanceCents), f.Priority)).ToList() : [],
        Money.Format(paidToday), m.Revision);
}
