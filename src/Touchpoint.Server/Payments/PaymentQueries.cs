using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Common;
using Touchpoint.Core.Grants;
using Touchpoint.Core.Payments;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Common;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Payments;

public sealed record TradeFilter(string? Sn = null, DateOnly? From = null, DateOnly? To = null, TradeStatus? Status = null, string? Keyword = null,
    int Page = 1, int PageSize = 20);

public sealed record TradeRow(string TradeNo, string OutTradeNo, string? Sn, string Subject, string TotalAmount, string RefundFee, TradeStatus Status,
    string StatusName, TradeScene Scene, string SceneName, string? FundChannel, string? FundName, string? Buyer, string CreatedAt, string? PaidAt, bool MayRefund);

public sealed record TradePage(IReadOnlyList<TradeRow> Items, int Total, int Page, int PageSize);

public sealed record TradeDetail(TradeRow Row, string? BuyerUserId, string? AppId, string? StoreId, IReadOnlyList<RefundRow> Refunds,
    IReadOnlyList<(string Channel, string Amount)> FundBills, string? Broadcast, string RefundPolicy);

public sealed record RefundRow(string OutRequestNo, string Amount, string? Reason, string At, string By);

public sealed record DaySummary(string Date, string Takings, int Paid, string Refunded, IReadOnlyList<SplitRow> ByScene, IReadOnlyList<SplitRow> ByFunding,
    IReadOnlyList<HourRow> Hours);

public sealed record SplitRow(string Name, int Count, string Amount, int Percent);

public sealed record HourRow(int Hour, long Cents);

public sealed record CaptureRow(long Id, string At, string? Member, string Conditions, bool Captured, string? ZCode, string? Reason, string Verify,
    string? Escalation, bool? VerifyPassed, string? Result);

public sealed record CaptureReport(string Sn, IReadOnlyList<CaptureRow> Recent, int Total, int Z1010, double Rate, int FleetTotal, double FleetRate,
    bool Flagged, IReadOnlyList<string> Advice, bool CameraDirty);

public sealed record FaceDiagnosis(string UserId, string Name, string Mobile, bool FacePayEnabled, FaceStatus FaceStatus, string FaceStatusName,
    string PaidToday, string Limit, string Remaining, IReadOnlyList<DiagnosisAttempt> Attempts, IReadOnlyList<string> Findings, bool? LookAlike);

public sealed record DiagnosisAttempt(string At, string Sn, string Outcome, string? ZCode, string? Escalation, bool? VerifyPassed, string? Result);

/// <summary>What people read about payments: 交易管理, 刷脸记录 on a device, and the face diagnostics tool (R23).</summary>
public sealed class PaymentQueries(IDbContextFactory<TouchpointDb> factory, DeviceAccess access, Security.RequestThrottle throttle,
    IOptions<PaymentOptions> options, TimeProvider clock)
{
    /// <summary>
    /// Trades an account may read: its own as the merchant (seller), those its apps created on a merchant's behalf, and
    /// every trade for the operator (support).
    /// </summary>
    public static IQueryable<Trade> Visible(TouchpointDb db, Actor actor) => actor.Role == AccountRole.Operator
        ? db.Trades
        : db.Trades.Where(t => t.SellerId == actor.Id || db.DeveloperApps.Any(a => a.Id == t.AppId && a.OwnerId == actor.Id));

    public async Task<TradePage> ListAsync(Actor actor, TradeFilter filter, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = Filter(db, actor, filter);
        var page = PageRequest.Of(filter.Page, filter.PageSize);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(t => t.CreatedAtUtc).ThenByDescending(t => t.Id).Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        return new TradePage(await RowsAsync(db, actor, rows, ct), total, page.Page, page.PageSize);
    }

    public async IAsyncEnumerable<TradeRow> ExportAsync(Actor actor, TradeFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = Filter(db, actor, filter).OrderByDescending(t => t.CreatedAtUtc).ThenByDescending(t => t.Id);
        var skip = 0;
        while (true)
        {
            var rows = await query.Skip(skip).Take(500).ToListAsync(ct);
            foreach (var row in await RowsAsync(db, actor, rows, ct))
            {
                yield return row;
            }
            if (rows.Count < 500)
            {
                yield break;
            }
            skip += rows.Count;
        }
    }

    private static IQueryable<Trade> Filter(TouchpointDb db, Actor actor, TradeFilter filter)
    {
        var query = Visible(db, actor).AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Sn))
        {
            var sn = Core.Devices.DeviceSn.Normalize(filter.Sn);
            query = query.Where(t => t.DeviceSn == sn);
        }
        if (filter.From is { } from)
        {
            var start = ChinaTime.EndOfDayUtc(from.AddDays(-1));
            query = query.Where(t => t.CreatedAtUtc >= start);
        }
        if (filter.To is { } to)
        {
            var end = ChinaTime.EndOfDayUtc(to);
            query = query.Where(t => t.CreatedAtUtc < end);
        }
        if (filter.Status is { } status)
        {
            query = query.Where(t => t.Status == status);
        }
        if (!string.IsNullOrWhiteSpace(filter.Keyword))
        {
            var k = filter.Keyword.Trim();
            query = query.Where(t => t.TradeNo == k || t.OutTradeNo == k);
        }
        return query;
    }

    private static async Task<IReadOnlyList<TradeRow>> RowsAsync(TouchpointDb db, Actor actor, List<Trade> trades, CancellationToken ct)
    {
        var memberIds = trades.Where(t => t.MemberId is not null).Select(t => t.MemberId!.Value).Distinct().ToList();
        var members = await db.Members.AsNoTracking().Where(m => memberIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        return trades.Select(t =>
        {
            var member = t.MemberId is { } id ? members.GetValueOrDefault(id) : null;
            var view = new TradeView(t, member?.UserId, null, null, null, []);
            return new TradeRow(t.TradeNo, t.OutTradeNo, t.DeviceSn, t.Subject, view.TotalAmount, view.RefundFee, t.Status, view.StatusName, t.Scene,
                t.Scene.Chinese(), t.FundKind?.FundChannel(), t.FundKind?.Chinese(),
                member is null ? null : $"{TradeView.MaskName(member.UserName)} {Members.SimulatedMembers.MaskMobile(member.Mobile)}",
                ChinaTime.Format(t.CreatedAtUtc), t.PaidAtUtc is null ? null : ChinaTime.Format(t.PaidAtUtc),
                t.SellerId == actor.Id && t.Status == TradeStatus.Success);
        }).ToList();
    }

    public const string RefundPolicy = "退款只能由交易所属商户（收款机具的所有者）发起；授权给服务商的海报投放、应用分发、播报运营、远程管理都不包含退款权限，服务商需持商户的应用授权令牌调用 alipay.trade.refund";

    public async Task<TradeDetail> DetailAsync(Actor actor, string tradeNo, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var trade = await Visible(db, actor).AsNoTracking().SingleOrDefaultAsync(t => t.TradeNo == tradeNo.Trim(), ct)
            ?? throw TouchpointException.NotFound($"交易不存在：{tradeNo}");
        var row = (await RowsAsync(db, actor, [trade], ct))[0];
        var refunds = await db.TradeRefunds.AsNoTracking().Where(r => r.TradeId == trade.Id).OrderBy(r => r.Id).ToListAsync(ct);
        var appIds = refunds.Where(r => r.AppId is not null).Select(r => r.AppId!.Value).Append(trade.AppId ?? 0).Distinct().ToList();
        var apps = await db.DeveloperApps.AsNoTracking().Where(a => appIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.AppId, ct);
        var accountIds = refunds.Where(r => r.AccountId is not null).Select(r => r.AccountId!.Value).Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.DisplayName, ct);
        var broadcast = await db.DeviceBroadcasts.AsNoTracking().Where(b => b.TradeId == trade.Id).Select(b => b.Text).FirstOrDefaultAsync(ct);
        var memberUserId = trade.MemberId is null ? null : await db.Members.Where(m => m.Id == trade.MemberId).Select(m => m.UserId).SingleAsync(ct);
        return new TradeDetail(row, memberUserId, trade.AppId is { } app ? apps.GetValueOrDefault(app) : null, trade.StoreId,
            refunds.Select(r => new RefundRow(r.OutRequestNo, Money.Format(r.AmountCents), r.Reason, ChinaTime.Format(r.CreatedAtUtc),
                r.AccountId is { } a ? $"控制台：{accounts.GetValueOrDefault(a)}" : r.AppId is { } ap ? $"接口：{apps.GetValueOrDefault(ap)}" : "")).ToList(),
            new TradeView(trade, null, null, null, null, []).FundBills, broadcast, RefundPolicy);
    }

    public async Task<DaySummary> SummaryAsync(Actor actor, DateOnly? date, CancellationToken ct)
    {
        var day = date ?? ChinaTime.Today(clock);
        var start = ChinaTime.EndOfDayUtc(day.AddDays(-1));
        var end = ChinaTime.EndOfDayUtc(day);
        await using var db = await factory.CreateDbContextAsync(ct);
        var paid = await Visible(db, actor).AsNoTracking().Where(t => t.PaidAtUtc >= start && t.PaidAtUtc < end)
            .Select(t => new { t.TotalCents, t.RefundedCents, t.Scene, t.FundKind, t.PaidAtUtc }).ToListAsync(ct);
        var total = paid.Sum(p => p.TotalCents);
        SplitRow Split(string name, IEnumerable<long> cents)
        {
            var list = cents.ToList();
            return new SplitRow(name, list.Count, Money.Format(list.Sum()), total == 0 ? 0 : (int)Math.Round(list.Sum() * 100.0 / total));
        }
        return new DaySummary(day.ToString("yyyy-MM-dd"), Money.Format(total - paid.Sum(p => p.RefundedCents)), paid.Count, Money.Format(paid.Sum(p => p.RefundedCents)),
            paid.GroupBy(p => p.Scene).OrderByDescending(g => g.Sum(p => p.TotalCents)).Select(g => Split(g.Key.Chinese(), g.Select(p => p.TotalCents))).ToList(),
            paid.GroupBy(p => p.FundKind).OrderByDescending(g => g.Sum(p => p.TotalCents)).Select(g => Split(g.Key?.Chinese() ?? "其他", g.Select(p => p.TotalCents))).ToList(),
            Enumerable.Range(0, 24).Select(h => new HourRow(h, paid.Where(p => (p.PaidAtUtc!.Value + ChinaTime.Offset).Hour == h).Sum(p => p.TotalCents))).ToList());
    }

    /// <summary>
    /// 刷脸记录: the terminal's recent captures, and its Z1010 rate over seven days against every other terminal's. A terminal
    /// whose rate stands out (at least 5 captures, 30 % or more, twice the fleet's) is flagged with the seed's advice:
    /// that is what "check whether other people can pay" looks like across a fleet.
    /// </summary>
    public async Task<CaptureReport> CapturesAsync(Actor actor, string sn, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.View, ct);
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-7);
        // Only what happened under the current owner: a terminal sold on does not show its previous merchant's customers.
        var (deviceId, ownerId) = (device.Id, device.OwnerId);
        var recent = await db.FaceCaptures.AsNoTracking().Where(c => c.DeviceId == deviceId && c.SellerId == ownerId).OrderByDescending(c => c.Id).Take(50).ToListAsync(ct);
        var memberIds = recent.Where(c => c.MemberId is not null).Select(c => c.MemberId!.Value).Distinct().ToList();
        var members = await db.Members.AsNoTracking().Where(m => memberIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        var mine = await db.FaceCaptures.Where(c => c.DeviceId == device.Id && c.AtUtc >= since)
            .GroupBy(c => 1).Select(g => new { Total = g.Count(), Z1010 = g.Count(c => c.ZCode == "Z1010") }).SingleOrDefaultAsync(ct);
        var fleet = await db.FaceCaptures.Where(c => c.DeviceId != device.Id && c.AtUtc >= since)
            .GroupBy(c => 1).Select(g => new { Total = g.Count(), Z1010 = g.Count(c => c.ZCode == "Z1010") }).SingleOrDefaultAsync(ct);
        var total = mine?.Total ?? 0;
        var rate = total == 0 ? 0 : (double)mine!.Z1010 / total;
        var fleetTotal = fleet?.Total ?? 0;
        var fleetRate = fleetTotal == 0 ? 0 : (double)fleet!.Z1010 / fleetTotal;
        var flagged = total >= 5 && rate >= 0.3 && rate >= 2 * fleetRate;
        return new CaptureReport(device.Sn, recent.Select(c =>
        {
            var m = c.MemberId is { } id ? members.GetValueOrDefault(id) : null;
            return new CaptureRow(c.Id, ChinaTime.Format(c.AtUtc), m is null ? null : $"{TradeView.MaskName(m.UserName)} {Members.SimulatedMembers.MaskMobile(m.Mobile)}",
                c.Conditions.Chinese(), c.Captured, c.ZCode, c.Reason, c.VerifyLevel.Chinese(), c.Escalation, c.VerifyPassed, c.Result);
        }).ToList(), total, mine?.Z1010 ?? 0, rate, fleetTotal, fleetRate, flagged,
            flagged ? [$"该机具近 7 天 Z1010 刷脸失败率 {rate:P0}，明显高于其他机具的 {fleetRate:P0}：其他人在别的机具上能正常刷脸，问题多半在这台机具", .. FaceErrors.Z1010.Advice] : [],
            device.CameraDirty);
    }

    /// <summary>
    /// IoT开放刷脸诊断工具 (R23): by phone number or user id. The operator sees every member; a merchant or a service provider
    /// only members who paid or tried at terminals it owns or holds a grant on, masked, and only those attempts. Each account
    /// has a budget of lookups per minute, counted in the database (every node).
    /// </summary>
    public async Task<FaceDiagnosis> DiagnoseAsync(Actor actor, string? query, CancellationToken ct)
    {
        var text = query?.Trim() ?? "";
        if (text.Length == 0)
        {
            throw TouchpointException.Invalid("请输入会员的手机号或支付宝用户 ID（2088 开头）");
        }
        if (!(text.Length == 11 && text.All(char.IsAsciiDigit)) && !(text.Length == 16 && text.StartsWith("2088", StringComparison.Ordinal) && text.All(char.IsAsciiDigit)))
        {
            throw TouchpointException.Invalid("格式不正确：请输入 11 位手机号或 16 位支付宝用户 ID（2088 开头）");
        }
        if (!await throttle.TryAcquireAsync("face-diagnosis:" + actor.Id, options.Value.DiagnosisPerMinute, TimeSpan.FromMinutes(1), ct))
        {
            throw new TouchpointException(FailureKind.TooManyRequests, "查询过于频繁，请稍后再试");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var member = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.Mobile == text || m.UserId == text, ct);
        var notFound = TouchpointException.NotFound("未找到该会员在您可运营的机具上的支付或刷脸记录");
        if (member is null)
        {
            throw notFound;
        }
        var operatorView = actor.Role == AccountRole.Operator;
        var now = clock.GetUtcNow().UtcDateTime;
        var captures = db.FaceCaptures.AsNoTracking().Where(c => c.MemberId == member.Id);
        var paidHere = db.Trades.Where(t => t.MemberId == member.Id);
        if (!operatorView)
        {
            // Terminals it owns or holds a grant on, and only what happened there under their current owner.
            var actorId = actor.Id;
            var devices = db.Devices.Where(d => d.OwnerId == actorId).Concat(DeviceAccess.GrantedTo(db, actorId, now));
            captures = captures.Where(c => devices.Any(d => d.Id == c.DeviceId && d.OwnerId == c.SellerId));
            paidHere = paidHere.Where(t => devices.Any(d => d.Id == t.DeviceId && d.OwnerId == t.SellerId));
            if (!await captures.AnyAsync(ct) && !await paidHere.AnyAsync(ct))
            {
                throw notFound;
            }
        }
        var limits = options.Value.Limits;
        var today = Money.ChinaDay(now);
        var paidToday = await db.FaceDailyTotals.Where(t => t.MemberId == member.Id && t.Day == today).Select(t => (long?)t.Cents).SingleOrDefaultAsync(ct) ?? 0;
        var attempts = await (from c in captures
                              join d in db.Devices on c.DeviceId equals d.Id
                              orderby c.Id descending
                              select new { c, d.Sn }).Take(20).ToListAsync(ct);
        var findings = new List<string>();
        if (!member.FacePayEnabled)
        {
            findings.Add("刷脸支付未开通（已关闭）：刷脸会失败并提示未开通，请顾客在支付宝 App「设置 > 支付设置 > 刷脸支付」中开通，或改用付款码");
        }
        if (member.FaceStatus != FaceStatus.Normal)
        {
            findings.Add(member.FaceStatus == FaceStatus.Frozen
                ? "人脸状态异常：刷脸支付已冻结，请顾客联系支付宝客服解冻"
                : "人脸状态异常：人脸信息需重新采集，请顾客在支付宝 App 刷脸设置中重新录入");
        }
        if (paidToday >= limits.FaceDailyCents)
        {
            findings.Add($"今日刷脸支付已达上限 {Money.Spoken(limits.FaceDailyCents)} 元：继续刷脸会报 error：1400，请改用付款码或明日再试");
        }
        var z1010 = attempts.Where(a => a.c.ZCode == "Z1010").GroupBy(a => a.Sn).OrderByDescending(g => g.Count()).FirstOrDefault();
        if (z1010 is not null && z1010.Count() >= 2)
        {
            findings.Add($"近期在机具 {z1010.Key} 上 {z1010.Count()} 次 Z1010 人脸采集失败：先检查该机具摄像头是否被遮挡或脏污、是否有强光或反光衣，再看其他人能否在该机具刷脸");
        }
        if (attempts.Any(a => a.c.VerifyLevel != VerifyLevel.None))
        {
            findings.Add("近期刷脸触发了手机号验证（4 位或 11 位）：受刷脸角度、光线、机具摄像头影响，或存在相似脸；请确保使用环境正常，由本人输入正确的手机号");
        }
        if (findings.Count == 0)
        {
            findings.Add("刷脸支付已开通、人脸状态正常，未发现异常");
        }
        return new FaceDiagnosis(member.UserId,
            operatorView ? member.UserName : TradeView.MaskName(member.UserName),
            operatorView ? member.Mobile : Members.SimulatedMembers.MaskMobile(member.Mobile),
            member.FacePayEnabled, member.FaceStatus, member.FaceStatus.Chinese(), Money.Format(paidToday), Money.Format(limits.FaceDailyCents),
            Money.Format(Math.Max(0, limits.FaceDailyCents - paidToday)),
            attempts.Select(a => new DiagnosisAttempt(ChinaTime.Format(a.c.AtUtc), a.Sn, a.c.Captured ? "采集成功" : "采集失败", a.c.ZCode, a.c.Escalation,
                a.c.VerifyPassed, a.c.Result)).ToList(),
            findings, operatorView ? member.LookAlike : null);
    }
}
