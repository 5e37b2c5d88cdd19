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

/// <summary>
/// Trades as Alipay keeps them: pay (payment code, face token), precreate and scan, query, refund, cancel, close. Every
/// change that moves money is one transaction that also stages its trade_status_sync: the payment code is claimed, the
/// face day reserved and the funding debited with conditional UPDATEs (never read-then-write), so parallel payments
/// cannot pass a limit together; the trade row's unique out_trade_no then makes parallel retries one trade. Payments
/// run as plain statements (see <see cref="RawSql"/>): this is the gateway's hottest write.
/// </summary>
public sealed partial class TradeService(
    IDbContextFactory<TouchpointDb> factory,
    GroupCommit writes,
    DeviceAccess access,
    NotificationOutbox outbox,
    NotificationSignal signal,
    TerminalScreens screens,
    Gifts.GiftSelection gifts,
    Security.OutboundUrlPolicy outbound,
    IOptions<PaymentOptions> options,
    TimeProvider clock)
{
    private PaymentOptions Settings => options.Value;

    /// <summary>A trade of this seller was paid or refunded on this node (open 交易管理 pages refresh).</summary>
    public event Action<long>? Changed;

    /// <summary>alipay.trade.precreate: a trade waiting for a member to scan its qr_code.</summary>
    public async Task<TradeView> PrecreateAsync(long sellerId, long? appId, string? outTradeNoText, string? amount, string? subjectText,
        string? notifyUrlText, string? timeoutExpress, string? storeId, string? terminalSn, Accounts.Actor? actor, CancellationToken ct)
    {
        var outTradeNo = OutTradeNo(outTradeNoText);
        var cents = Amount(amount);
        var subject = Subject(subjectText);
        var notifyUrl = NotifyUrl(notifyUrlText, appId);
        var timeout = Timeout(timeoutExpress, clock.GetUtcNow().UtcDateTime);
        var digest = Digest("qr_code", cents.ToString(System.Globalization.CultureInfo.InvariantCulture), subject, "");
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await db.Trades.AsNoTracking().SingleOrDefaultAsync(t => t.SellerId == sellerId && t.OutTradeNo == outTradeNo, ct) is { } existing)
        {
            return existing.RequestDigest != digest ? throw PaymentErrors.Inconsistent()
                : existing.Status == TradeStatus.WaitBuyerPay ? await ViewAsync(existing.Id, ct)
                : existing.Status == TradeStatus.Closed ? throw PaymentErrors.HasClosed() : throw PaymentErrors.HasSuccess();
        }
        long? deviceId = null;
        string? deviceSn = null;
        if (terminalSn is { Length: > 0 })
        {
            var normalized = Core.Devices.DeviceSn.Normalize(terminalSn);
            var device = await db.Devices.AsNoTracking().SingleOrDefaultAsync(d => d.Sn == normalized, ct)
                ?? throw PaymentErrors.InvalidParameter($"机具 terminal_id 不存在：{terminalSn}");
            if (actor is not null && !await access.AllowsAsync(db, actor, device.Id, device.OwnerId, DeviceOperation.Collect, ct))
            {
                throw OpenPlatformViolation.Permission("isv.insufficient-isv-permissions", $"无权在机具 {device.Sn} 上收款");
            }
            (deviceId, deviceSn) = (device.Id, device.Sn);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var trade = new Trade
        {
            TradeNo = NewTradeNo(now), OutTradeNo = outTradeNo, SellerId = sellerId, AppId = appId, DeviceId = deviceId, DeviceSn = deviceSn,
            Scene = TradeScene.QrCode, ProductCode = "FACE_TO_FACE_PAYMENT", Subject = subject, StoreId = Optional(storeId, "store_id", 32), TotalCents = cents,
            Status = TradeStatus.WaitBuyerPay, NotifyUrl = notifyUrl, RequestDigest = digest, CreatedAtUtc = now,
            PayBeforeUtc = now + timeout, QrToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        };
        db.Trades.Add(trade);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return await PrecreateAsync(sellerId, appId, outTradeNoText, amount, subjectText, notifyUrlText, timeoutExpress, storeId, terminalSn, actor, ct);
        }
        return await ViewAsync(trade.Id, ct);
    }

    public string QrCode(Trade trade) => Settings.QrBaseUrl.TrimEnd('/') + "/" + trade.QrToken;

    /// <summary>The member scans a precreated trade's QR code (runtime API), or confirms a 10003 payment on the phone.</summary>
    public async Task<TradeView> CompleteAsync(string? qrCodeOrTradeNo, string userId, bool isQr, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var key = (isQr ? qrCodeOrTradeNo?.Split('/').LastOrDefault() : qrCodeOrTradeNo)?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            throw OpenPlatformViolation.Missing(isQr ? "qr_code" : "trade_no");
        }
        var trade = await (isQr ? db.Trades.Where(t => t.QrToken == key && t.Scene == TradeScene.QrCode) : db.Trades.Where(t => t.TradeNo == key))
            .SingleOrDefaultAsync(ct) ?? throw PaymentErrors.NotExist();
        var member = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.UserId == userId, ct)
            ?? throw OpenPlatformViolation.Invalid("isv.invalid-user-id", $"会员不存在：{userId}");
        if (!isQr && trade.MemberId != member.Id)
        {
            throw PaymentErrors.NotExist();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await CloseIfExpiredAsync(db, trade, now, ct);
        if (trade.Status != TradeStatus.WaitBuyerPay)
        {
            throw trade.Status == TradeStatus.Closed ? PaymentErrors.HasClosed() : PaymentErrors.HasSuccess();
        }
        var announcement = new Core.Broadcasts.AnnouncementSettings();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var claimed = await db.Trades.Where(t => t.Id == trade.Id && t.Status == TradeStatus.WaitBuyerPay && t.Revision == trade.Revision)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.Status, TradeStatus.Success).SetProperty(t => t.MemberId, member.Id)
                    .SetProperty(t => t.Revision, trade.Revision + 1), ct);
            if (claimed == 0)
            {
                throw PaymentErrors.HasSuccess();
            }
            db.ChangeTracker.Clear();
            trade = await db.Trades.SingleAsync(t => t.Id == trade.Id, ct);
            announcement = await SettleAsync(db, trade, member, now, ct);
            await tx.CommitAsync(ct);
        }
        await AfterPaidAsync(trade, announcement, ct);
        return await ViewAsync(trade.Id, ct);
    }

    /// <summary>
    /// A waiting trade is paid (scan, confirmation): the money is taken, the terminal announces it (when its 到账播报 is on),
    /// the notification is staged. Returns the terminal's announcement settings for the success page.
    /// </summary>
    private async Task<Core.Broadcasts.AnnouncementSettings> SettleAsync(TouchpointDb db, Trade trade, Member member, DateTime now, CancellationToken ct)
    {
        var announcement = new Core.Broadcasts.AnnouncementSettings();
        var taken = await TakeAsync(db, trade.Scene, member.Id, trade.TotalCents, now, ct);
        trade.FaceDay = taken.FaceDay;
        trade.FundKind = taken.Kind;
        trade.FundSourceId = taken.SourceId;
        trade.PaidAtUtc = now;
        trade.Status = TradeStatus.Success;
        if (trade.DeviceId is { } deviceId)
        {
            var device = await db.Devices.Where(d => d.Id == deviceId).Select(d => new { d.AnnouncementEnabled, d.AnnouncementVolume }).SingleOrDefaultAsync(ct);
            announcement = device is null ? announcement : new(device.AnnouncementEnabled, device.AnnouncementVolume);
            if (announcement.Enabled)
            {
                db.DeviceBroadcasts.Add(new DeviceBroadcast { DeviceId = deviceId, TradeId = trade.Id, Text = Announcement(trade), AtUtc = now });
            }
        }
        await StageAsync(db, trade, Buyer.Of(member), ct);
        await db.SaveChangesAsync(ct);
        return announcement;
    }

    public static string Announcement(Trade trade) => $"支付宝到账 {Money.Spoken(trade.TotalCents)} 元";

    private async Task AfterPaidAsync(Trade trade, Core.Broadcasts.AnnouncementSettings announcement, CancellationToken ct)
    {
        Changed?.Invoke(trade.SellerId);
        if (trade.NotifyUrl is not null && trade.Status == TradeStatus.Success)
        {
            signal.Poke();
        }
        if (trade.Status == TradeStatus.Success && trade.DeviceSn is { } sn)
        {
            await screens.PaidAsync(sn, trade, announcement, await gifts.TryForPaymentAsync(trade, ct), ct);
        }
    }

    private async Task StageAsync(TouchpointDb db, Trade trade, Buyer? buyer, CancellationToken ct, TradeRefund? refund = null)
    {
        if (trade.NotifyUrl is null || trade.AppId is null)
        {
            return;
        }
        var app = await db.DeveloperApps.AsNoTracking().SingleOrDefaultAsync(a => a.Id == trade.AppId, ct);
        if (app is null)
        {
            return;
        }
        outbox.StageTradeStatus(db, app, trade.NotifyUrl, NotificationFields(trade, buyer, refund));
    }

    private static Dictionary<string, string?> NotificationFields(Trade trade, Buyer? buyer, TradeRefund? refund = null) => new()
    {
        ["trade_no"] = trade.TradeNo,
        ["out_trade_no"] = trade.OutTradeNo,
        ["buyer_id"] = buyer?.UserId,
        ["buyer_logon_id"] = buyer is null ? null : Members.SimulatedMembers.MaskMobile(buyer.Mobile),
        ["seller_id"] = SellerId(trade.SellerId),
        ["trade_status"] = trade.Status.Wire(),
        ["total_amount"] = Money.Format(trade.TotalCents),
        ["receipt_amount"] = Money.Format(trade.TotalCents - trade.RefundedCents),
        ["buyer_pay_amount"] = Money.Format(trade.TotalCents - trade.RefundedCents),
        ["refund_fee"] = trade.RefundedCents > 0 ? Money.Format(trade.RefundedCents) : null,
        ["out_biz_no"] = refund?.OutRequestNo,
        ["gmt_refund"] = refund is null ? null : Common.ChinaTime.Format(refund.CreatedAtUtc, "yyyy-MM-dd HH:mm:ss.fff"),
        ["subject"] = trade.Subject,
        ["gmt_create"] = Common.ChinaTime.Format(trade.CreatedAtUtc),
        ["gmt_payment"] = trade.PaidAtUtc is null ? null : Common.ChinaTime.Format(trade.PaidAtUtc),
        ["gmt_close"] = trade.ClosedAtUtc is null ? null : Common.ChinaTime.Format(trade.ClosedAtUtc),
        ["fund_bill_list"] = trade.FundKind is { } kind
            ? $"[{{\"amount\":\"{Money.Format(trade.TotalCents)}\",\"fundChannel\":\"{kind.FundChannel()}\"}}]" : null,
    };

    /// <summary>seller_id as Alipay shows a merchant: a 2088 partner id, derived from the account.</summary>
    public static string SellerId(long accountId) => "2088" + (100_000_000_000L + accountId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task<TradeView> QueryAsync(long sellerId, string? tradeNo, string? outTradeNo, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var trade = await FindAsync(db, sellerId, tradeNo, outTradeNo, ct);
        await CloseIfExpiredAsync(db, trade, clock.GetUtcNow().UtcDateTime, ct);
        return await ViewAsync(trade.Id, ct);
    }

    /// <summary>alipay.trade.close: only a trade still waiting for the member.</summary>
    public async Task<TradeView> CloseAsync(long sellerId, string? tradeNo, string? outTradeNo, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var trade = await FindAsync(db, sellerId, tradeNo, outTradeNo, ct);
        if (trade.Status != TradeStatus.WaitBuyerPay)
        {
            throw trade.Status == TradeStatus.Closed ? PaymentErrors.HasClosed()
                : PaymentErrors.StatusError("交易已支付，不能关闭；如需退款请使用 alipay.trade.refund");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var closed = await db.Trades.Where(t => t.Id == trade.Id && t.Status == TradeStatus.WaitBuyerPay)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.Status, TradeStatus.Closed).SetProperty(t => t.ClosedAtUtc, now).SetProperty(t => t.Revision, t => t.Revision + 1), ct);
        if (closed == 0)
        {
            throw PaymentErrors.StatusError("交易状态已变化，请查询后重试");
        }
        return await ViewAsync(trade.Id, ct);
    }

    private async Task CloseIfExpiredAsync(TouchpointDb db, Trade trade, DateTime now, CancellationToken ct)
    {
        if (trade.Status == TradeStatus.WaitBuyerPay && trade.PayBeforeUtc <= now)
        {
            await db.Trades.Where(t => t.Id == trade.Id && t.Status == TradeStatus.WaitBuyerPay)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.Status, TradeStatus.Closed).SetProperty(t => t.ClosedAtUtc, now), ct);
            trade.Status = TradeStatus.Closed;
            trade.ClosedAtUtc = now;
        }
    }

    public static async Task<Trade> FindAsync(TouchpointDb db, long sellerId, string? tradeNo, string? outTradeNo, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(tradeNo) && string.IsNullOrWhiteSpace(outTradeNo))
        {
            throw OpenPlatformViolation.Missing("trade_no 或 out_trade_no");
        }
        var query = db.Trades.AsNoTracking().Where(t => t.SellerId == sellerId);
        query = !string.IsNullOrWhiteSpace(tradeNo) ? query.Where(t => t.TradeNo == tradeNo.Trim()) : query.Where(t => t.OutTradeNo == outTradeNo!.Trim());
        return await query.SingleOrDefaultAsync(ct) ?? throw PaymentErrors.NotExist();
    }

    public async Task<TradeView> ViewAsync(long tradeId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await ViewAsync(db, tradeId, ct);
    }

    /// <summary>The trade as the gateway answers it, read on <paramref name="db"/> (which may hold it uncommitted, in a batch).</summary>
    private static async Task<TradeView> ViewAsync(TouchpointDb db, long tradeId, CancellationToken ct)
    {
        var trade = await db.Trades.AsNoTracking().SingleAsync(t => t.Id == tradeId, ct);
        var member = trade.MemberId is null ? null : await db.Members.AsNoTracking().SingleAsync(m => m.Id == trade.MemberId, ct);
        var app = trade.AppId is null ? null : await db.DeveloperApps.Where(a => a.Id == trade.AppId).Select(a => a.AppId).SingleOrDefaultAsync(ct);
        var refunds = await db.TradeRefunds.AsNoTracking().Where(r => r.TradeId == tradeId).OrderBy(r => r.Id).ToListAsync(ct);
        return new TradeView(trade, member?.UserId, member is null ? null : Members.SimulatedMembers.MaskMobile(member.Mobile),
            member is null ? null : TradeView.MaskName(member.UserName), app, refunds);
    }

    private async Task<PayOutcome?> ExistingAsync(TouchpointDb db, long sellerId, string outTradeNo, string digest, CancellationToken ct)
    {
        var existing = await db.Trades.AsNoTracking().SingleOrDefaultAsync(t => t.SellerId == sellerId && t.OutTradeNo == outTradeNo, ct);
        if (existing is null)
        {
            return null;
        }
        if (existing.RequestDigest != digest)
        {
            throw PaymentErrors.Inconsistent();
        }
        await CloseIfExpiredAsync(db, existing, clock.GetUtcNow().UtcDateTime, ct);
        return existing.Status == TradeStatus.Closed && existing.RefundedCents == 0 ? throw PaymentErrors.HasClosed()
            : new PayOutcome(await ViewAsync(db, existing.Id, ct), existing.Status == TradeStatus.WaitBuyerPay);
    }
}
