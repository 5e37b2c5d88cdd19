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
public sealed class TradeService(
    IDbContextFactory<TouchpointDb> factory,
    DeviceAccess access,
    NotificationOutbox outbox,
    NotificationSignal signal,
    TerminalScreens screens,
    Security.OutboundUrlPolicy outbound,
    IOptions<PaymentOptions> options,
    TimeProvider clock)
{
    private PaymentOptions Settings => options.Value;

    /// <summary>A trade of this seller was paid or refunded on this node (open 交易管理 pages refresh).</summary>
    public event Action<long>? Changed;

    public async Task<PayOutcome> PayAsync(PayRequest request, CancellationToken ct)
    {
        var outTradeNo = OutTradeNo(request.OutTradeNo);
        var cents = Amount(request.TotalAmount);
        var subject = Subject(request.Subject);
        var scene = request.Scene switch
        {
            "bar_code" => TradeScene.BarCode,
            "security_code" => TradeScene.SecurityCode,
            null or "" => throw OpenPlatformViolation.Missing("scene"),
            var other => throw PaymentErrors.InvalidParameter($"不支持的 scene：{other}（支持 bar_code、security_code）"),
        };
        var authCode = request.AuthCode?.Trim();
        if (string.IsNullOrEmpty(authCode))
        {
            throw OpenPlatformViolation.Missing("auth_code");
        }
        var notifyUrl = NotifyUrl(request.NotifyUrl, request.AppId);
        var digest = Digest(scene.Wire(), cents.ToString(System.Globalization.CultureInfo.InvariantCulture), subject, authCode);

        await using var db = await factory.CreateDbContextAsync(ct);
        // A repeat is answered before anything else is checked (the terminal may have changed hands since): one indexed
        // lookup, the full read only when there is something to read.
        if (await db.RowAsync("""SELECT "Id" FROM "Trades" WHERE "SellerId" = @seller AND "OutTradeNo" = @out""", ct,
                ("@seller", request.SellerId), ("@out", outTradeNo)) is not null
            && await ExistingAsync(db, request.SellerId, outTradeNo, digest, ct) is { } repeat)
        {
            return repeat;
        }
        try
        {
            return await PayOnceAsync(db, request, scene, authCode, outTradeNo, cents, subject, notifyUrl, digest, ct);
        }
        catch (OpenPlatformViolation e) when (e.SubCode == "ACQ.PAYMENT_AUTH_CODE_INVALID")
        {
            // A retry racing the first request finds its code used by that very request: then the answer is the repeat's.
            db.ChangeTracker.Clear();
            if (await ExistingAsync(db, request.SellerId, outTradeNo, digest, ct) is { } raced)
            {
                return raced;
            }
            throw;
        }
    }

    private async Task<PayOutcome> PayOnceAsync(TouchpointDb db, PayRequest request, TradeScene scene, string authCode, string outTradeNo, long cents,
        string subject, string? notifyUrl, string digest, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var authHash = Hash(authCode);
        Buyer? buyer = null;
        long? deviceId = null;
        string? deviceSn = null;
        FaceSession? session = null;
        if (scene == TradeScene.SecurityCode)
        {
            session = await db.FaceSessions.AsNoTracking().SingleOrDefaultAsync(s => s.FtokenHash == authHash, ct);
            if (session?.MemberId is null || session.Status is not (FaceSessionStatus.Identified or FaceSessionStatus.Paid))
            {
                throw PaymentErrors.AuthCodeInvalid("刷脸凭证 ftoken 无效");
            }
            if (session.FtokenUsedAtUtc is not null)
            {
                throw PaymentErrors.AuthCodeInvalid("刷脸凭证 ftoken 已使用");
            }
            if (session.ExpiresAtUtc <= now)
            {
                throw PaymentErrors.AuthCodeInvalid("刷脸凭证 ftoken 已过期");
            }
            var sessionDevice = session.DeviceId;
            var owner = await db.Devices.Where(d => d.Id == sessionDevice).Select(d => d.OwnerId).SingleOrDefaultAsync(ct);
            if (session.SellerId != request.SellerId || owner != request.SellerId)
            {
                throw PaymentErrors.MerchantNotMatch();
            }
            var faceMember = session.MemberId.Value;
            var member = await db.Members.AsNoTracking().SingleAsync(m => m.Id == faceMember, ct);
            CheckFace(member);
            buyer = Buyer.Of(member);
            (deviceId, deviceSn) = (session.DeviceId, session.DeviceSn);
        }
        else if (!PaymentCode.LooksLikeOne(authCode))
        {
            throw PaymentErrors.AuthCodeInvalid("付款码格式不正确（18 位数字，以 28 开头）");
        }
        long? deviceOwner = null;
        var announcement = new Core.Broadcasts.AnnouncementSettings();
        if (request.TerminalSn is { Length: > 0 } terminal)
        {
            string sn;
            try
            {
                sn = Core.Devices.DeviceSn.Normalize(terminal);
            }
            catch (Core.Common.TouchpointException e)
            {
                throw PaymentErrors.InvalidParameter($"terminal_id 格式不正确：{e.Message}");
            }
            var device = await db.RowAsync("""SELECT "Id", "OwnerId", "AnnouncementEnabled", "AnnouncementVolume" FROM "Devices" WHERE "Sn" = @sn""",
                    ct, ("@sn", sn))
                ?? throw PaymentErrors.InvalidParameter($"机具 terminal_id 不存在：{terminal}");
            var id = Convert.ToInt64(device[0]);
            if (deviceId is not null && id != deviceId)
            {
                throw PaymentErrors.InvalidParameter("terminal_id 与刷脸凭证的机具不一致");
            }
            (deviceId, deviceSn, deviceOwner) = (id, sn, device[1] is null ? null : Convert.ToInt64(device[1]));
            announcement = new(Convert.ToBoolean(device[2]), Convert.ToInt32(device[3]));
        }
        else if (deviceId is { } faceDevice)
        {
            var facts = await db.Devices.Where(d => d.Id == faceDevice)
                .Select(d => new { d.OwnerId, d.AnnouncementEnabled, d.AnnouncementVolume }).SingleAsync(ct);
            deviceOwner = facts.OwnerId;
            announcement = new(facts.AnnouncementEnabled, facts.AnnouncementVolume);
        }
        if (deviceId is not null && request.Actor is { } actor
            && !await access.AllowsAsync(db, actor, deviceId.Value, deviceOwner, DeviceOperation.Collect, ct))
        {
            throw OpenPlatformViolation.Permission("isv.insufficient-isv-permissions", $"无权在机具 {deviceSn} 上收款：收款只属于机具所有者（或持其应用授权令牌代为调用的应用）");
        }
        var appCode = request.AppCode
            ?? (request.AppId is { } appKey ? await db.DeveloperApps.Where(a => a.Id == appKey).Select(a => a.AppId).SingleOrDefaultAsync(ct) : null);
        var productCode = Optional(request.ProductCode, "product_code", 40) ?? "FACE_TO_FACE_PAYMENT";
        var storeId = Optional(request.StoreId, "store_id", 32);
        var waiting = scene == TradeScene.BarCode && cents > Settings.PasswordFreeCents;

        // One transaction, each step a single statement that either takes its row or says no: the payment code (or the
        // face token), the face day, the funding, then the trade row itself, whose unique index makes a parallel retry
        // with the same out_trade_no roll all of it back and answer as a repeat. Locks go code → face day → funding →
        // trade; a refund takes trade → face day → funding of a trade that already exists, so the two cannot deadlock.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        long memberId;
        if (session is null)
        {
            var claimed = await db.RowAsync("""
                UPDATE "PaymentCodes" SET "UsedAtUtc" = @now
                WHERE "CodeHash" = @hash AND "UsedAtUtc" IS NULL AND "ExpiresAtUtc" > @now
                RETURNING "MemberId"
                """, ct, ("@now", now), ("@hash", authHash));
            if (claimed is null)
            {
                await tx.RollbackAsync(ct);
                throw await CodeRefusedAsync(db, authHash, now, ct);
            }
            memberId = Convert.ToInt64(claimed[0]);
            buyer = await BuyerAsync(db, memberId, ct);
        }
        else
        {
            // The face token first, as the code above: a parallel retry with the same ftoken stops here and is answered
            // as the repeat, instead of finding the day or the balance already taken by the first request.
            if (await db.ExecuteAsync("""
                    UPDATE "FaceSessions" SET "FtokenUsedAtUtc" = @now WHERE "Id" = @id AND "FtokenUsedAtUtc" IS NULL
                    """, ct, ("@now", now), ("@id", session.Id)) == 0)
            {
                await tx.RollbackAsync(ct);
                throw PaymentErrors.AuthCodeInvalid("刷脸凭证 ftoken 已使用");
            }
            memberId = session.MemberId!.Value;
        }
        Taken? taken = waiting ? null : await TakeAsync(db, scene, memberId, cents, now, ct);
        var trade = new Trade
        {
            TradeNo = NewTradeNo(now),
            OutTradeNo = outTradeNo,
            SellerId = request.SellerId,
            AppId = request.AppId,
            DeviceId = deviceId,
            DeviceSn = deviceSn,
            MemberId = memberId,
            Scene = scene,
            ProductCode = productCode,
            Subject = subject,
            StoreId = storeId,
            TotalCents = cents,
            Status = waiting ? TradeStatus.WaitBuyerPay : TradeStatus.Success,
            FundKind = taken?.Kind,
            FundSourceId = taken?.SourceId,
            FaceDay = taken?.FaceDay,
            NotifyUrl = notifyUrl,
            RequestDigest = digest,
            FaceSessionId = session?.Id,
            CreatedAtUtc = now,
            PaidAtUtc = waiting ? null : now,
            PayBeforeUtc = waiting ? now.AddMinutes(Settings.DefaultTimeoutMinutes) : null,
        };
        var inserted = await db.RowAsync("""
            INSERT INTO "Trades" ("TradeNo", "OutTradeNo", "SellerId", "AppId", "DeviceId", "DeviceSn", "MemberId", "Scene", "ProductCode",
                "Subject", "StoreId", "TotalCents", "RefundedCents", "Status", "FundKind", "FundSourceId", "NotifyUrl", "RequestDigest", "FaceDay",
                "FaceSessionId", "CreatedAtUtc", "PaidAtUtc", "PayBeforeUtc", "Revision")
            VALUES (@tradeNo, @outTradeNo, @seller, @app, @device, @sn, @member, @scene, @product,
                @subject, @store, @cents, 0, @status, @fundKind, @fundSource, @notifyUrl, @digest, @faceDay,
                @session, @now, @paid, @payBefore, 0)
            ON CONFLICT DO NOTHING
            RETURNING "Id"
            """, ct, ("@tradeNo", trade.TradeNo), ("@outTradeNo", outTradeNo), ("@seller", trade.SellerId), ("@app", trade.AppId),
            ("@device", deviceId), ("@sn", deviceSn), ("@member", memberId), ("@scene", (int)scene), ("@product", productCode),
            ("@subject", subject), ("@store", storeId), ("@cents", cents), ("@status", (int)trade.Status), ("@fundKind", (int?)taken?.Kind),
            ("@fundSource", taken?.SourceId), ("@notifyUrl", notifyUrl), ("@digest", digest), ("@faceDay", taken?.FaceDay),
            ("@session", session?.Id), ("@now", now), ("@paid", trade.PaidAtUtc), ("@payBefore", trade.PayBeforeUtc));
        if (inserted is null)
        {
            // A parallel request with this out_trade_no committed first (or this one is its retry with a fresh code): the
            // code, the day and the money go back, and the answer is the repeat's.
            await tx.RollbackAsync(ct);
            return await ExistingAsync(db, request.SellerId, outTradeNo, digest, ct)
                ?? throw PaymentErrors.Declined("ACQ.SYSTEM_ERROR", "系统繁忙，请用相同参数重试");
        }
        trade.Id = Convert.ToInt64(inserted[0]);
        if (session is not null)
        {
            await db.ExecuteAsync("""UPDATE "FaceSessions" SET "TradeId" = @trade WHERE "Id" = @id""", ct, ("@trade", trade.Id), ("@id", session.Id));
        }
        if (!waiting)
        {
            if (deviceId is { } paidAt && announcement.Enabled)
            {
                await db.ExecuteAsync("""INSERT INTO "DeviceBroadcasts" ("DeviceId", "TradeId", "Text", "AtUtc") VALUES (@device, @trade, @text, @now)""", ct,
                    ("@device", paidAt), ("@trade", trade.Id), ("@text", Announcement(trade)), ("@now", now));
            }
            if (notifyUrl is not null && request.AppId is { } notifyApp && appCode is not null)
            {
                var delivery = outbox.TradeStatus(notifyApp, appCode, notifyUrl, NotificationFields(trade, buyer));
                await db.ExecuteAsync("""
                    INSERT INTO "NotificationDeliveries" ("NotifyId", "AppId", "MsgMethod", "Url", "Body", "SignAtSend", "Status", "AttemptCount",
                        "NextAttemptAtUtc", "CreatedAtUtc")
                    VALUES (@id, @app, @method, @url, @body, @sign, @status, 0, @next, @created)
                    """, ct, ("@id", delivery.NotifyId), ("@app", delivery.AppId), ("@method", delivery.MsgMethod), ("@url", delivery.Url),
                    ("@body", delivery.Body), ("@sign", true), ("@status", nameof(DeliveryStatus.Pending)), ("@next", delivery.NextAttemptAtUtc),
                    ("@created", delivery.CreatedAtUtc));
            }
        }
        await tx.CommitAsync(ct);
        await AfterPaidAsync(trade, announcement, ct);
        // A new trade has no refunds, and its buyer and app are in hand: no second read.
        return new PayOutcome(new TradeView(trade, buyer!.UserId, Members.SimulatedMembers.MaskMobile(buyer.Mobile), TradeView.MaskName(buyer.UserName), appCode, []), waiting);
    }

    /// <summary>Why a payment code was not taken, read after the claim said no.</summary>
    private static async Task<Exception> CodeRefusedAsync(TouchpointDb db, string authHash, DateTime now, CancellationToken ct)
    {
        var code = await db.PaymentCodes.AsNoTracking().SingleOrDefaultAsync(c => c.CodeHash == authHash, ct);
        return PaymentErrors.AuthCodeInvalid(code is null ? "付款码无效" : code.UsedAtUtc is not null ? "付款码已使用，请刷新付款码" : "付款码已过期，请刷新付款码");
    }

    /// <summary>The buyer as a trade shows them.</summary>
    private sealed record Buyer(long Id, string UserId, string Mobile, string UserName)
    {
        public static Buyer Of(Member m) => new(m.Id, m.UserId, m.Mobile, m.UserName);
    }

    private static async Task<Buyer> BuyerAsync(TouchpointDb db, long memberId, CancellationToken ct)
    {
        var row = await db.RowAsync("""SELECT "UserId", "Mobile", "UserName" FROM "Members" WHERE "Id" = @id""", ct, ("@id", memberId))
            ?? throw new InvalidOperationException($"Member {memberId} of a payment code does not exist.");
        return new Buyer(memberId, (string)row[0]!, (string)row[1]!, (string)row[2]!);
    }

    /// <summary>What a payment took: the face day it counts against (face payments) and the funding source debited.</summary>
    private sealed record Taken(long SourceId, FundingKind Kind, int? FaceDay);

    /// <summary>
    /// Takes the money: reserves the face day (face payments, a conditional UPDATE against the daily limit), then debits the
    /// first funding source, by priority, that covers the amount. One statement picks and debits in the common case; when
    /// a parallel debit got there first it walks the sources one conditional UPDATE at a time.
    /// </summary>
    private async Task<Taken> TakeAsync(TouchpointDb db, TradeScene scene, long memberId, long cents, DateTime now, CancellationToken ct)
    {
        int? faceDay = null;
        if (scene == TradeScene.SecurityCode)
        {
            var day = Money.ChinaDay(now);
            var limit = Settings.Limits;
            await db.Database.ExecuteSqlAsync(
                $"""INSERT INTO "FaceDailyTotals" ("MemberId", "Day", "Cents") VALUES ({memberId}, {day}, {0L}) ON CONFLICT DO NOTHING""", ct);
            var reserved = await db.FaceDailyTotals.Where(t => t.MemberId == memberId && t.Day == day && t.Cents + cents <= limit.FaceDailyCents)
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.Cents, t => t.Cents + cents), ct);
            if (reserved == 0)
            {
                var paid = await db.FaceDailyTotals.Where(t => t.MemberId == memberId && t.Day == day).Select(t => t.Cents).SingleAsync(ct);
                throw PaymentErrors.DayLimit(limit.Error1400(cents) + $"；今日已刷脸支付 {Money.Format(paid)} 元");
            }
            faceDay = day;
        }
        var debited = await db.RowAsync("""
            UPDATE "FundingSources" SET "BalanceCents" = "BalanceCents" - @amount
            WHERE "Id" = (SELECT "Id" FROM "FundingSources" WHERE "MemberId" = @member AND "BalanceCents" >= @amount ORDER BY "Priority", "Id" LIMIT 1)
              AND "BalanceCents" >= @amount
            RETURNING "Id", "Kind"
            """, ct, ("@amount", cents), ("@member", memberId));
        if (debited is not null)
        {
            return new Taken(Convert.ToInt64(debited[0]), (FundingKind)Convert.ToInt32(debited[1]), faceDay);
        }
        var sources = await db.FundingSources.AsNoTracking().Where(f => f.MemberId == memberId).OrderBy(f => f.Priority).ThenBy(f => f.Id).ToListAsync(ct);
        foreach (var source in sources)
        {
            if (await db.FundingSources.Where(f => f.Id == source.Id && f.BalanceCents >= cents)
                    .ExecuteUpdateAsync(u => u.SetProperty(f => f.BalanceCents, f => f.BalanceCents - cents), ct) == 1)
            {
                return new Taken(source.Id, source.Kind, faceDay);
            }
        }
        throw PaymentErrors.BalanceNotEnough();
    }

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
            await screens.PaidAsync(sn, trade, announcement, ct);
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
            : new PayOutcome(await ViewAsync(existing.Id, ct), existing.Status == TradeStatus.WaitBuyerPay);
    }

    private static void CheckFace(Member member)
    {
        if (!member.FacePayEnabled)
        {
            throw PaymentErrors.SwitchOff();
        }
        if (member.FaceStatus == FaceStatus.Frozen)
        {
            throw PaymentErrors.FaceFrozen();
        }
        if (member.FaceStatus == FaceStatus.NeedsRecapture)
        {
            throw PaymentErrors.FaceRecapture();
        }
    }

    private string? NotifyUrl(string? url, long? appId) => appId is null ? null : CheckNotifyUrl(url);

    /// <summary>A notify_url the platform may post to (the outbox keeps at most 500 characters), or null when none was given.</summary>
    public string? CheckNotifyUrl(string? url)
    {
        var value = url?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (value.Length > 500)
        {
            throw PaymentErrors.InvalidParameter("notify_url 最长 500 个字符");
        }
        try
        {
            outbound.CheckUrl(value, "notify_url");
        }
        catch (Core.Common.TouchpointException e)
        {
            throw PaymentErrors.InvalidParameter(e.Message.Length > 200 ? e.Message[..200] : e.Message);
        }
        return value;
    }

    private static string? Optional(string? text, string name, int max)
    {
        var value = text?.Trim();
        return string.IsNullOrEmpty(value) ? null : value.Length > max ? throw PaymentErrors.InvalidParameter($"{name} 最长 {max} 个字符") : value;
    }

    public static string OutTradeNo(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            throw OpenPlatformViolation.Missing("out_trade_no");
        }
        if (value.Length > 64 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw PaymentErrors.InvalidParameter("out_trade_no 只能是 64 个字符以内的字母、数字、下划线或短横线");
        }
        return value;
    }

    public static long Amount(string? text, string name = "total_amount")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw OpenPlatformViolation.Missing(name);
        }
        var cents = Money.ParseCents(text) ?? throw PaymentErrors.InvalidParameter($"{name} 格式不正确：单位为元，最多两位小数");
        if (cents < 1)
        {
            throw PaymentErrors.InvalidParameter($"{name} 必须大于 0");
        }
        return cents > Money.MaxTradeCents ? throw PaymentErrors.TotalFeeExceed() : cents;
    }

    private static string Subject(string? text)
    {
        var value = text?.Trim();
        return string.IsNullOrEmpty(value) ? throw OpenPlatformViolation.Missing("subject")
            : value.Length > 256 ? throw PaymentErrors.InvalidParameter("subject 最长 256 个字符") : value;
    }

    private static string? OptionalReason(string? reason) => string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()[..Math.Min(reason.Trim().Length, 256)];

    private TimeSpan Timeout(string? text, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return TimeSpan.FromMinutes(Settings.DefaultTimeoutMinutes);
        }
        var unit = text[^1];
        if (!int.TryParse(text[..^1], out var n) || n < 1)
        {
            throw PaymentErrors.InvalidParameter("timeout_express 格式不正确（如 90m、2h、1d、1c）");
        }
        var span = unit switch
        {
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            // 1c: the trade closes at the end of the day it was made (China time), whenever in the day that is.
            'c' when n == 1 => Money.EndOfChinaDay(now) - now,
            _ => throw PaymentErrors.InvalidParameter("timeout_express 格式不正确（如 90m、2h、1d、1c；c 只能是 1c，当天 24 点关闭）"),
        };
        return span > TimeSpan.FromDays(15) ? throw PaymentErrors.InvalidParameter("timeout_express 最长 15d") : span;
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Digest(params string[] parts) => Hash(string.Join('\u001f', parts));

    private static string NewTradeNo(DateTime now)
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        var digits = (BitConverter.ToUInt64(bytes) % 1_000_000_000_000_000_000UL).ToString("D18", System.Globalization.CultureInfo.InvariantCulture);
        return Common.ChinaTime.Format(now, "yyyyMMdd") + "22" + digits;
    }
}
