using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Common;
using Touchpoint.Core.Grants;
using Touchpoint.Core.Payments;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Payments;

/// <summary>Refunds from 交易管理: the trade's merchant only (see <see cref="PaymentQueries.RefundPolicy"/>).</summary>
public sealed class ConsoleRefunds(IDbContextFactory<TouchpointDb> factory, TradeService trades, PaymentQueries queries, TimeProvider clock)
{
    public async Task<TradeDetail> RefundAsync(Actor actor, string tradeNo, ConsoleRefund body, CancellationToken ct)
    {
        long sellerId;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            var trade = await PaymentQueries.Visible(db, actor).AsNoTracking().SingleOrDefaultAsync(t => t.TradeNo == tradeNo, ct)
                ?? throw TouchpointException.NotFound($"交易不存在：{tradeNo}");
            if (trade.SellerId != actor.Id)
            {
                throw TouchpointException.Forbidden(PaymentQueries.RefundPolicy);
            }
            sellerId = trade.SellerId;
        }
        TradeService.RefundOutcome outcome;
        try
        {
            // The page sends a request number made when it opened the refund form, so a double click or a retry refunds once.
            outcome = await trades.RefundAsync(sellerId, tradeNo, null, body.Amount, string.IsNullOrWhiteSpace(body.OutRequestNo)
                ? "console-" + Guid.NewGuid().ToString("N") : body.OutRequestNo, body.Reason, null, actor.Id, ct);
        }
        catch (Core.OpenPlatform.OpenPlatformViolation e)
        {
            throw TouchpointException.Invalid(e.Message);
        }
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            if (!outcome.FundChange)
            {
                return await queries.DetailAsync(actor, tradeNo, ct); // the same request again: refunded once, logged once
            }
            var t = outcome.View.Trade;
            Audit.AuditLog.Add(db, clock, actor.Id, Core.Audit.AuditAction.TradeRefunded, t.SellerId, t.DeviceId is { } d ? (d, t.DeviceSn!) : null,
                $"交易 {t.TradeNo} 退款 {Money.Format(outcome.Refund.AmountCents)} 元{(outcome.Refund.Reason is { } r ? "：" + r : "")}");
            await db.SaveChangesAsync(ct);
        }
        return await queries.DetailAsync(actor, tradeNo, ct);
    }
}
