using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Common;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Grants;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Core.Payments;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Payments;

/// <summary>What starts a face payment at a terminal: the IoT cashier (with an amount) or a service provider's own cashier (token only).</summary>
public sealed record CashierStart(string Sn, string? TotalAmount, string? OutTradeNo, string? Subject, string? AppId, string? NotifyUrl, string Source)
{
    /// <summary>Who asks; null when the terminal itself asks over its authenticated channel.</summary>
    public Actor? Actor { get; init; }
    /// <summary>A service provider's cashier: no amount, the session ends with a face token.</summary>
    public bool TokenOnly { get; init; }
}

/// <summary>What the terminal shows after a step, and the session behind it.</summary>
public sealed record CashierStep(FaceSession Session, ScreenMessage Screen, string? TradeNo = null);

/// <summary>
/// The IoT cashier and the face SDK at a terminal: a session waits for a member, a capture succeeds or fails by the
/// capture rule (Z1010 and the rest), a risky capture asks for phone digits, and an identified member gets a face token —
/// which the IoT cashier pays with at once, or a service provider's back end passes to alipay.trade.pay. Every capture
/// is recorded with its outcome and why it escalated (刷脸记录).
/// </summary>
public sealed class FaceCashier(
    IDbContextFactory<TouchpointDb> factory,
    DeviceAccess access,
    TradeService trades,
    TerminalScreens screens,
    IOptions<PaymentOptions> options,
    TimeProvider clock)
{
    private PaymentOptions Settings => options.Value;

    public async Task<CashierStep> StartAsync(CashierStart start, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await TerminalAsync(db, start.Sn, start.Actor, ct);
        if (device.OwnerId is not { } sellerId)
        {
            throw TouchpointException.Invalid($"设备 {device.Sn} 尚未交付商户，不能收款");
        }
        long? cents = null;
        string? outTradeNo = null;
        if (!start.TokenOnly)
        {
            // Over the cashier's maximum is error 1400 whatever the amount, so only the format is checked here.
            cents = string.IsNullOrWhiteSpace(start.TotalAmount) ? throw OpenPlatformViolation.Missing("total_amount")
                : Money.ParseCents(start.TotalAmount) is { } c and > 0 ? c : throw PaymentErrors.InvalidParameter("total_amount 格式不正确：单位为元，最多两位小数，大于 0");
            outTradeNo = string.IsNullOrWhiteSpace(start.OutTradeNo)
                ? "TP" + Common.ChinaTime.Format(clock.GetUtcNow().UtcDateTime, "yyyyMMddHHmmss") + RandomNumberGenerator.GetInt32(100000, 999999)
                : TradeService.OutTradeNo(start.OutTradeNo);
        }
        long? appId = null;
        if (!string.IsNullOrWhiteSpace(start.AppId))
        {
            var app = await db.DeveloperApps.AsNoTracking().SingleOrDefaultAsync(a => a.AppId == start.AppId.Trim(), ct);
            if (app is null || app.OwnerId != sellerId)
            {
                throw OpenPlatformViolation.Invalid("isv.invalid-app-id", $"app_id {start.AppId} 不是机具所有者的应用");
            }
            appId = app.Id;
        }
        if (appId is null && !string.IsNullOrWhiteSpace(start.NotifyUrl))
        {
            // A notification is signed for an app_id; without one there is nobody to send it for.
            throw OpenPlatformViolation.Invalid("isv.invalid-parameter", "提供 notify_url 时必须同时提供 app_id（异步通知以该应用的 app_id 发送）");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        // One cashier at a time: a new request replaces whatever was still waiting at this terminal.
        await db.FaceSessions.Where(s => s.DeviceId == device.Id && (s.Status == FaceSessionStatus.Waiting || s.Status == FaceSessionStatus.Verifying))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, FaceSessionStatus.Cancelled).SetProperty(s => s.UpdatedAtUtc, now), ct);
        var session = new FaceSession
        {
            ZimId = "zim" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            DeviceId = device.Id,
            DeviceSn = device.Sn,
            SellerId = sellerId,
            AppId = appId,
            AmountCents = cents,
            OutTradeNo = outTradeNo,
            Subject = string.IsNullOrWhiteSpace(start.Subject) ? "IoT 刷脸付款" : start.Subject.Trim()[..Math.Min(start.Subject.Trim().Length, 256)],
            NotifyUrl = trades.CheckNotifyUrl(start.NotifyUrl),
            Status = FaceSessionStatus.Waiting,
            Source = start.Source,
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
            ExpiresAtUtc = now.AddSeconds(Settings.SessionSeconds),
        };
        ScreenMessage screen;
        if (cents is { } amount && Settings.Limits.CashierAmountExceeds(amount))
        {
            // error 1400 (R13): the cashier refuses the request itself, before any face is captured.
            session.Status = FaceSessionStatus.Failed;
            session.ErrorCode = "1400";
            session.ErrorMessage = Settings.Limits.Error1400(amount);
            screen = TerminalScreens.Error(session.ZimId, "1400", session.ErrorMessage, ["将收银金额拆分为不超过上限的多笔", "单个支付宝账户单日刷脸支付上限 " + Money.Spoken(Settings.Limits.FaceDailyCents) + " 元，超出请改用付款码"], amount);
        }
        else
        {
            screen = new ScreenMessage(1, "face", session.ZimId, cents is null ? null : Money.Format(cents.Value), outTradeNo,
                Title: "请正对摄像头刷脸", Message: cents is null ? "刷脸识别" : $"付款 ¥{Money.Format(cents.Value)}");
        }
        db.FaceSessions.Add(session);
        await db.SaveChangesAsync(ct);
        await screens.ShowAsync(device.Sn, screen, ct);
        return new CashierStep(session, screen);
    }

    /// <summary>A member stands in front of the terminal (the runtime API, or the console's 模拟收款) under the given conditions.</summary>
    public async Task<CashierStep> CaptureAsync(string sn, string userId, CaptureConditions conditions, Actor? actor, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await TerminalAsync(db, sn, actor, ct);
        var memberUserId = userId.Trim();
        var member = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.UserId == memberUserId, ct)
            ?? throw TouchpointException.NotFound($"会员不存在：{userId}");
        var session = await OpenSessionAsync(db, device.Id, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (session.Status != FaceSessionStatus.Waiting)
        {
            throw TouchpointException.Conflict("终端正在等待顾客输入手机号验证，请先完成验证");
        }
        session.Revision++; // the save below is conditional on the revision read: one step wins, the others are told to wait
        if (device.CameraDirty)
        {
            conditions |= CaptureConditions.CameraDirty;
        }
        var sequence = await db.FaceCaptures.CountAsync(c => c.DeviceId == device.Id, ct);
        var outcome = FaceCaptureRule.Evaluate(conditions, sequence, member.LookAlike);
        var capture = new FaceCapture
        {
            SessionId = session.Id, DeviceId = device.Id, SellerId = session.SellerId, MemberId = member.Id, Conditions = conditions,
            Captured = outcome.Captured, ZCode = outcome.Error?.Code, Reason = outcome.Error?.Message, VerifyLevel = outcome.Verify,
            Escalation = outcome.EscalationText, AtUtc = now,
        };
        db.FaceCaptures.Add(capture);
        if (outcome.Error is { } error)
        {
            capture.Result = error.Message;
            // A failed capture can be tried again; a member who quit or timed out ends the session.
            if (error == FaceErrors.Z1008 || error == FaceErrors.Z1005)
            {
                session.Status = error == FaceErrors.Z1008 ? FaceSessionStatus.Cancelled : FaceSessionStatus.Failed;
            }
            session.ErrorCode = error.Code;
            session.ErrorMessage = error.Message;
            session.UpdatedAtUtc = now;
            await SaveStepAsync(db, ct);
            var screen = TerminalScreens.Error(session.ZimId, error.Code, error.Message, error.Advice, session.AmountCents);
            await screens.ShowAsync(device.Sn, screen, ct);
            return new CashierStep(session, screen);
        }
        session.MemberId = member.Id;
        session.UpdatedAtUtc = now;
        if (outcome.Verify != VerifyLevel.None)
        {
            session.Status = FaceSessionStatus.Verifying;
            session.VerifyLevel = outcome.Verify;
            await SaveStepAsync(db, ct);
            var screen = new ScreenMessage(1, "verify", session.ZimId, session.AmountCents is null ? null : Money.Format(session.AmountCents.Value),
                session.OutTradeNo, Title: "安全验证", Message: FaceCaptureRule.Prompt(outcome.Verify), VerifyDigits: (int)outcome.Verify);
            await screens.ShowAsync(device.Sn, screen, ct);
            return new CashierStep(session, screen);
        }
        return await IdentifiedAsync(db, session, capture, now, ct);
    }

    /// <summary>The member types the phone digits the terminal asked for. Wrong digits fail the payment.</summary>
    public async Task<CashierStep> VerifyAsync(string sn, string? digits, Actor? actor, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await TerminalAsync(db, sn, actor, ct);
        var session = await OpenSessionAsync(db, device.Id, ct);
        if (session.Status != FaceSessionStatus.Verifying || session.MemberId is null)
        {
            throw TouchpointException.Conflict("终端没有在等待手机号验证");
        }
        session.Revision++; // the save below is conditional on the revision read: one step wins, the others are told to wait
        var sessionId = session.Id;
        var capture = await db.FaceCaptures.Where(c => c.SessionId == sessionId).OrderByDescending(c => c.Id).FirstAsync(ct);
        var mobile = await db.Members.Where(m => m.Id == session.MemberId).Select(m => m.Mobile).SingleAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (!FaceCaptureRule.DigitsMatch(session.VerifyLevel, mobile, digits?.Trim()))
        {
            capture.VerifyPassed = false;
            capture.Result = "手机号验证失败，支付未完成";
            session.Status = FaceSessionStatus.Failed;
            session.VerifyFailures++;
            session.ErrorCode = "VERIFY_FAILED";
            session.ErrorMessage = $"{session.VerifyLevel.Chinese()}验证失败，支付未完成";
            session.UpdatedAtUtc = now;
            await SaveStepAsync(db, ct);
            var screen = TerminalScreens.Error(session.ZimId, "VERIFY_FAILED", session.ErrorMessage,
                ["请付款人本人输入正确的手机号后重新发起支付", "也可以改用付款码支付"], session.AmountCents);
            await screens.ShowAsync(device.Sn, screen, ct);
            return new CashierStep(session, screen);
        }
        capture.VerifyPassed = true;
        return await IdentifiedAsync(db, session, capture, now, ct);
    }

    /// <summary>Identified: the face token is issued; the IoT cashier pays with it at once.</summary>
    private async Task<CashierStep> IdentifiedAsync(TouchpointDb db, FaceSession session, FaceCapture capture, DateTime now, CancellationToken ct)
    {
        var ftoken = NewFtoken();
        session.FtokenHash = TradeService.Hash(ftoken);
        session.Status = FaceSessionStatus.Identified;
        session.ExpiresAtUtc = now.AddSeconds(Settings.SessionSeconds);
        session.ErrorCode = null;
        session.ErrorMessage = null;
        capture.Result = session.AmountCents is null ? "识别成功，已发放 ftoken" : "识别成功";
        await SaveStepAsync(db, ct);
        if (session.AmountCents is null)
        {
            var token = new ScreenMessage(1, "identified", session.ZimId, Title: "刷脸成功", Message: "识别成功，正在支付…", Ftoken: ftoken);
            await screens.ShowAsync(session.DeviceSn, token, ct);
            return new CashierStep(session, token);
        }
        try
        {
            var paid = await trades.PayAsync(new PayRequest
            {
                SellerId = session.SellerId, AppId = session.AppId, OutTradeNo = session.OutTradeNo, TotalAmount = Money.Format(session.AmountCents.Value),
                Subject = session.Subject, Scene = "security_code", AuthCode = ftoken, NotifyUrl = session.NotifyUrl, Actor = null,
            }, ct);
            await Record(db, session, capture, FaceSessionStatus.Paid, null, "支付成功", ct);
            var t = paid.View.Trade;
            var sessionDevice = session.DeviceId;
            var announce = await db.Devices.Where(d => d.Id == sessionDevice).Select(d => new { d.AnnouncementEnabled, d.AnnouncementVolume }).SingleOrDefaultAsync(ct);
            var spoken = announce is null || announce.AnnouncementEnabled;
            return new CashierStep(session, new ScreenMessage(1, "success", session.ZimId, Money.Format(t.TotalCents), t.OutTradeNo, t.TradeNo,
                Title: "支付成功", Message: $"已付款 ¥{Money.Format(t.TotalCents)}", Broadcast: spoken ? TradeService.Announcement(t) : null,
                Volume: spoken ? announce?.AnnouncementVolume : null), t.TradeNo);
        }
        catch (OpenPlatformViolation e)
        {
            // error 1400 when the member's day is full (R13); every other refusal shows its own sub_code and message.
            var code = e.SubCode == "ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR" ? "1400" : e.SubCode;
            await Record(db, session, capture, FaceSessionStatus.Failed, code, Clip(e.Message), ct);
            var screen = TerminalScreens.Error(session.ZimId, code, e.Message, AdviceFor(e.SubCode), session.AmountCents);
            await screens.ShowAsync(session.DeviceSn, screen, ct);
            return new CashierStep(session, screen);
        }
    }

    private IReadOnlyList<string> AdviceFor(string subCode) => subCode switch
    {
        "ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR" => [$"单个支付宝账户单日刷脸支付金额上限 {Money.Spoken(Settings.Limits.FaceDailyCents)} 元，请改用付款码或明日再试"],
        "ACQ.USER_FACE_PAYMENT_SWITCH_OFF" => ["请顾客在支付宝 App「设置 > 支付设置 > 刷脸支付」中开通", "或改用付款码支付"],
        "ACQ.PAYMENT_REQUEST_HAS_RISK" => ["请顾客在支付宝 App 中处理人脸状态（重新录入或联系客服解冻）", "或改用付款码支付"],
        "ACQ.BUYER_BALANCE_NOT_ENOUGH" => ["请顾客更换付款方式或充值后重试"],
        _ => ["请重新发起支付，或改用付款码"],
    };

    private static string Clip(string text) => text.Length <= 380 ? text : text[..380] + "…";

    private async Task Record(TouchpointDb db, FaceSession session, FaceCapture capture, FaceSessionStatus status, string? code, string result, CancellationToken ct)
    {
        // The payment ran in its own unit of work: this context's copy of the session is reloaded before it is written.
        await db.Entry(session).ReloadAsync(ct);
        session.Revision++;
        session.Status = status;
        session.ErrorCode = code;
        session.ErrorMessage = code is null ? null : result;
        session.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        capture.Result = result;
        await db.SaveChangesAsync(ct);
    }

    public async Task CancelAsync(string sn, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var normalized = Core.Devices.DeviceSn.Normalize(sn);
        await db.FaceSessions.Where(s => s.DeviceSn == normalized && (s.Status == FaceSessionStatus.Waiting || s.Status == FaceSessionStatus.Verifying))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, FaceSessionStatus.Cancelled).SetProperty(s => s.UpdatedAtUtc, now), ct);
        await screens.ShowAsync(normalized, new ScreenMessage(1, "idle"), ct);
    }

    /// <summary>zoloz.authentication.customer.ftoken.query: the member behind a face token of this merchant's terminal.</summary>
    public async Task<(FaceSession Session, string UserId)> FtokenAsync(long sellerId, string ftoken, string? zimId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var session = await db.FaceSessions.AsNoTracking().SingleOrDefaultAsync(s => s.FtokenHash == TradeService.Hash(ftoken.Trim()), ct);
        if (session?.MemberId is null || session.SellerId != sellerId || (!string.IsNullOrEmpty(zimId) && session.ZimId != zimId))
        {
            throw OpenPlatformViolation.Business("ZOLOZ_FTOKEN_INVALID", "ftoken 无效或不属于本商户");
        }
        if (session.ExpiresAtUtc <= clock.GetUtcNow().UtcDateTime && session.FtokenUsedAtUtc is null)
        {
            throw OpenPlatformViolation.Business("ZOLOZ_FTOKEN_EXPIRED", "ftoken 已过期");
        }
        var userId = await db.Members.Where(m => m.Id == session.MemberId).Select(m => m.UserId).SingleAsync(ct);
        return (session, userId);
    }

    /// <summary>
    /// The terminal by SN: for an account, only one it may take payments at (收款); for the terminal's own channel and the
    /// runtime API (no account) any terminal.
    /// </summary>
    private async Task<Core.Devices.Device> TerminalAsync(TouchpointDb db, string sn, Actor? actor, CancellationToken ct)
    {
        if (actor is not null)
        {
            return await access.RequireAsync(db, actor, sn, DeviceOperation.Collect, ct);
        }
        var normalized = Core.Devices.DeviceSn.Normalize(sn);
        return await db.Devices.SingleOrDefaultAsync(d => d.Sn == normalized, ct) ?? throw TouchpointException.NotFound($"设备不存在：{normalized}");
    }

    /// <summary>
    /// Saves a step of the session. The session's revision was bumped by this step, so the UPDATE holds only if nobody
    /// stepped in between: parallel guesses of the digits or parallel captures cannot both go on from the same state.
    /// </summary>
    private static async Task SaveStepAsync(TouchpointDb db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw TouchpointException.Conflict("终端正在处理上一次刷脸，请稍后再试");
        }
    }

    private async Task<FaceSession> OpenSessionAsync(TouchpointDb db, long deviceId, CancellationToken ct)
    {
        var session = await db.FaceSessions.Where(s => s.DeviceId == deviceId && (s.Status == FaceSessionStatus.Waiting || s.Status == FaceSessionStatus.Verifying))
            .OrderByDescending(s => s.Id).FirstOrDefaultAsync(ct)
            ?? throw TouchpointException.Conflict("终端当前没有等待刷脸的收银请求：请先在终端发起收款");
        if (session.ExpiresAtUtc <= clock.GetUtcNow().UtcDateTime)
        {
            session.Status = FaceSessionStatus.Failed;
            session.ErrorCode = FaceErrors.Z1005.Code;
            session.ErrorMessage = FaceErrors.Z1005.Message;
            await db.SaveChangesAsync(ct);
            throw TouchpointException.Conflict("收银请求已超时（Z1005），请在终端重新发起收款");
        }
        return session;
    }

    /// <summary>"fp" and 33 characters, as the face SDK's tokens look (ALIPAY-IOT.md §2).</summary>
    private static string NewFtoken()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return "fp" + RandomNumberGenerator.GetString(alphabet, 33);
    }
}
