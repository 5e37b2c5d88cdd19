using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Grants;
using Touchpoint.Core.Members;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Core.Payments;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Notifications;

namespace Touchpoint.Server.Payments;

/// <summary>alipay.trade.refund, fastpay.refund.query and cancel: money back to where it came from, idempotent per out_request_no.</summary>
public sealed partial class TradeService
{
    public sealed record RefundOutcome(TradeView View, TradeRefund Refund, bool FundChange);

    /// <summary>alipay.trade.refund: partial or full; the same out_request_no again answers the same refund, fund_change N.</summary>
    public async Task<RefundOutcome> RefundAsync(long sellerId, string? tradeNo, string? outTradeNo, string? amountText, string? outRequestNo,
        string? reason, long? appId, long? accountId, CancellationToken ct)
    {
        var cents = Amount(amountText, "refund_amount");
        await using var db = await factory.CreateDbContextAsync(ct);
        var trade = await FindAsync(db, sellerId, tradeNo, outTradeNo, ct);
        var requestNo = string.IsNullOrWhiteSpace(outRequestNo) ? trade.OutTradeNo : outRequestNo.Trim();
        if (requestNo.Length > 64)
        {
            throw PaymentErrors.InvalidParameter("out_request_no 最长 64 个字符");
        }
        if (await db.TradeRefunds.AsNoTracking().SingleOrDefaultAsync(r => r.TradeId == trade.Id && r.OutRequestNo == requestNo, ct) is { } done)
        {
            return done.AmountCents == cents ? new RefundOutcome(await ViewAsync(trade.Id, ct), done, false) : throw PaymentErrors.DiscordantRepeat();
        }
        CheckRefundable(trade, cents);
        var now = clock.GetUtcNow().UtcDateTime;
        var refund = new TradeRefund
        {
            TradeId = trade.Id, OutRequestNo = requestNo, AmountCents = cents, Reason = OptionalReason(reason), AppId = appId, AccountId = accountId, CreatedAtUtc = now,
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var moved = await db.Trades.Where(t => t.Id == trade.Id && t.Status == TradeStatus.Success && t.RefundedCents + cents <= t.TotalCents)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.RefundedCents, t => t.RefundedCents + cents).SetProperty(t => t.Revision, t => t.Revision + 1), ct);
            if (moved == 0)
            {
                await tx.RollbackAsync(ct);
                // Someone else refunded in between: the same request is answered as done, anything else as what it now is.
                db.ChangeTracker.Clear();
                if (await db.TradeRefunds.AsNoTracking().SingleOrDefaultAsync(r => r.TradeId == trade.Id && r.OutRequestNo == requestNo, ct) is { } raced)
                {
                    return raced.AmountCents == cents ? new RefundOutcome(await ViewAsync(trade.Id, ct), raced, false) : throw PaymentErrors.DiscordantRepeat();
                }
                CheckRefundable(await db.Trades.AsNoTracking().SingleAsync(t => t.Id == trade.Id, ct), cents);
                throw PaymentErrors.RefundExceeds("退款金额超过可退金额");
            }
            db.TradeRefunds.Add(refund);
            var repeated = false;
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                repeated = true;
            }
            if (repeated)
            {
                // The same out_request_no committed in parallel: undo this one and answer as for a repeat.
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                var first = await db.TradeRefunds.AsNoTracking().SingleAsync(r => r.TradeId == trade.Id && r.OutRequestNo == requestNo, ct);
                return first.AmountCents == cents ? new RefundOutcome(await ViewAsync(trade.Id, ct), first, false) : throw PaymentErrors.DiscordantRepeat();
            }
            await db.Trades.Where(t => t.Id == trade.Id && t.RefundedCents == t.TotalCents)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.Status, TradeStatus.Closed).SetProperty(t => t.ClosedAtUtc, now), ct);
            if (trade.MemberId is { } memberId)
            {
                var credit = PaymentLimits.DayCredit(trade.FaceDay, Money.ChinaDay(now), cents);
                if (credit > 0)
                {
                    await db.FaceDailyTotals.Where(t => t.MemberId == memberId && t.Day == trade.FaceDay)
                        .ExecuteUpdateAsync(u => u.SetProperty(t => t.Cents, t => t.Cents - credit), ct);
                }
                // Back to the source that paid; if an operator removed it since, to the member's first source of that kind, then to any.
                var sourceId = trade.FundSourceId ?? 0;
                var kind = trade.FundKind;
                var credited = await db.FundingSources.Where(f => f.Id == sourceId).ExecuteUpdateAsync(u => u.SetProperty(f => f.BalanceCents, f => f.BalanceCents + cents), ct);
                if (credited == 0)
                {
                    var fallback = await db.FundingSources.Where(f => f.MemberId == memberId).OrderBy(f => f.Kind == kind ? 0 : 1).ThenBy(f => f.Priority)
                        .Select(f => (long?)f.Id).FirstOrDefaultAsync(ct)
                        ?? throw PaymentErrors.Declined("ACQ.SYSTEM_ERROR", "买家已没有可退回的付款方式，请联系平台运营");
                    await db.FundingSources.Where(f => f.Id == fallback).ExecuteUpdateAsync(u => u.SetProperty(f => f.BalanceCents, f => f.BalanceCents + cents), ct);
                }
            }
            db.ChangeTracker.Clear();
            var after = await db.Trades.AsNoTracking().SingleAsync(t => t.Id == trade.Id, ct);
            var member = after.MemberId is null ? null : await db.Members.AsNoTracking().SingleAsync(m => m.Id == after.MemberId, ct);
            await StageAsync(db, after, member is null ? null : Buyer.Of(member), ct, refund);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            trade = after;
        }
        if (trade.NotifyUrl is not null)
        {
            signal.Poke();
        }
        Changed?.Invoke(trade.SellerId);
        return new RefundOutcome(await ViewAsync(trade.Id, ct), refund, true);
    }

    private static void CheckRefundable(Trade trade, long cents)
    {
        switch (trade.Status)
        {
            case TradeStatus.WaitBuyerPay:
                throw PaymentErrors.StatusError("交易尚未支付，不能退款；未支付的交易请关闭（alipay.trade.close）");
            case TradeStatus.Closed:
                throw trade.RefundedCents > 0 ? PaymentErrors.RefundExceeds("交易已全额退款") : PaymentErrors.HasClosed();
            case TradeStatus.Finished:
                throw PaymentErrors.NotAllowRefund("交易已完结，不允许退款");
        }
        if (cents > trade.TotalCents - trade.RefundedCents)
        {
            throw PaymentErrors.RefundExceeds($"退款金额 {Money.Format(cents)} 元超过可退金额 {Money.Format(trade.TotalCents - trade.RefundedCents)} 元");
        }
    }

    public async Task<TradeRefund?> RefundQueryAsync(long sellerId, string? tradeNo, string? outTradeNo, string? outRequestNo, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var trade = await FindAsync(db, sellerId, tradeNo, outTradeNo, ct);
        var requestNo = string.IsNullOrWhiteSpace(outRequestNo) ? trade.OutTradeNo : outRequestNo.Trim();
        return await db.TradeRefunds.AsNoTracking().SingleOrDefaultAsync(r => r.TradeId == trade.Id && r.OutRequestNo == requestNo, ct);
    }

    /// <summary>alipay.trade.cancel: an unpaid trade is closed, a paid one refunded in full (within a day of payment).</summary>
    public async Task<(TradeView View, string Action)> CancelAsync(long sellerId, string? tradeNo, string? outTradeNo, long? appId, long? accountId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var trade = await FindAsync(db, sellerId, tradeNo, outTradeNo, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        switch (trade.Status)
        {
            case TradeStatus.WaitBuyerPay:
                await CloseAsync(sellerId, trade.TradeNo, null, ct);
                return (await ViewAsync(trade.Id, ct), "close");
            case TradeStatus.Closed:
                return (await ViewAsync(trade.Id, ct), trade.RefundedCents > 0 ? "refund" : "close");
            case TradeStatus.Success when trade.PaidAtUtc < now.AddDays(-1):
                throw PaymentErrors.CancelNotAllowed("支付超过 24 小时的交易不能撤销，请使用退款（alipay.trade.refund）");
            case TradeStatus.Success:
                var outcome = await RefundAsync(sellerId, trade.TradeNo, null, Money.Format(trade.TotalCents - trade.RefundedCents), "cancel-" + trade.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "撤销交易", appId, accountId, ct);
                return (outcome.View, "refund");
            default:
                throw PaymentErrors.CancelNotAllowed("交易已完结，不能撤销");
        }
    }
}
