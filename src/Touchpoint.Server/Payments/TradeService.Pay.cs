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

/// <summary>alipay.trade.pay (payment code or face token): the gateway's hottest write, as plain statements in one transaction.</summary>
public sealed partial class TradeService
{
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

        // On SQLite the payment joins the others waiting (one transaction, one sync for all of them); the terminal's
        // success page and the notification's wake-up follow once it is committed.
        var (outcome, paid, announcement) = await writes.RunAsync((db, token) =>
            PayInAsync(db, request, scene, authCode, outTradeNo, cents, subject, notifyUrl, digest, token), ct);
        if (paid is not null)
        {
            await AfterPaidAsync(paid, announcement, ct);
        }
        return outcome;
    }

    /// <summary>What a payment returns from its write unit: the answer, and the trade paid by it (null for a repeat).</summary>
    private readonly record struct Paid(PayOutcome Outcome, Trade? Trade, Core.Broadcasts.AnnouncementSettings Announcement);

    private async Task<Paid> PayInAsync(TouchpointDb db, PayRequest request, TradeScene scene, string authCode, string outTradeNo, long cents,
        string subject, string? notifyUrl, string digest, CancellationToken ct)
    {
        // A repeat is answered before anything else is checked (the terminal may have changed hands since): one indexed
        // lookup, the full read only when there is something to read.
        if (await db.RowAsync("""SELECT "Id" FROM "Trades" WHERE "SellerId" = @seller AND "OutTradeNo" = @out""", ct,
                ("@seller", request.SellerId), ("@out", outTradeNo)) is not null
            && await ExistingAsync(db, request.SellerId, outTradeNo, digest, ct) is { } repeat)
        {
            return new Paid(repeat, null, new());
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
                return new Paid(raced, null, new());
            }
            throw;
        }
    }

    private async Task<Paid> PayOnceAsync(TouchpointDb db, PayRequest request, TradeScene scene, string authCode, string outTradeNo, long cents,
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
        await using var tx = await WriteScope.BeginAsync(db, ct);
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
            return new Paid(await ExistingAsync(db, request.SellerId, outTradeNo, digest, ct)
                ?? throw PaymentErrors.Declined("ACQ.SYSTEM_ERROR", "系统繁忙，请用相同参数重试"), null, new());
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
        // A new trade has no refunds, and its buyer and app are in hand: no second read.
        return new Paid(new PayOutcome(new TradeView(trade, buyer!.UserId, Members.SimulatedMembers.MaskMobile(buyer.Mobile), TradeView.MaskName(buyer.UserName),
            appCode, []), waiting), trade, announcement);
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
}
