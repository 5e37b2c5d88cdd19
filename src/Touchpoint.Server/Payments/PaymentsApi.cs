using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Touchpoint.Core.Common;
using Touchpoint.Core.Grants;
using Touchpoint.Core.Payments;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Common;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Payments;

public sealed record ConsoleRefund(string? Amount, string? Reason, string? OutRequestNo);

public sealed record ConsoleCashier(string? Amount, string? OutTradeNo, string? Subject, string? AppId, string? NotifyUrl);

public sealed record ConsoleCapture(string? UserId, IReadOnlyList<string>? Conditions);

public sealed record ConsoleVerify(string? Digits);

public sealed record CameraFlag(bool Dirty);

/// <summary>交易管理, 刷脸记录, 模拟收款, the face diagnostics tool and 会员 for the console.</summary>
public static class PaymentsApi
{
    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var trades = app.MapApiGroup("/api/trades");
        trades.MapGet("/", async (ClaimsPrincipal user, PaymentQueries queries, string? sn, DateOnly? from, DateOnly? to, TradeStatus? status,
                string? keyword, int? page, int? pageSize, CancellationToken ct) =>
            TypedResults.Ok(await queries.ListAsync(user.Actor(), new TradeFilter(sn, from, to, status, keyword, page ?? 1, pageSize ?? PageRequest.ApiDefaultSize), ct)));
        trades.MapGet("/summary", async (ClaimsPrincipal user, PaymentQueries queries, DateOnly? date, CancellationToken ct) =>
            TypedResults.Ok(await queries.SummaryAsync(user.Actor(), date, ct)));
        trades.MapGet("/export", ExportAsync);
        trades.MapGet("/{tradeNo}", async (ClaimsPrincipal user, PaymentQueries queries, string tradeNo, CancellationToken ct) =>
            TypedResults.Ok(await queries.DetailAsync(user.Actor(), tradeNo, ct)));
        trades.MapPost("/{tradeNo}/refund", async (ClaimsPrincipal user, ConsoleRefunds refunds, string tradeNo, ConsoleRefund body, CancellationToken ct) =>
            TypedResults.Ok(await refunds.RefundAsync(user.Actor(), tradeNo, body, ct)));

        var devices = app.MapApiGroup("/api/devices/{sn}");
        devices.MapGet("/face-captures", async (ClaimsPrincipal user, PaymentQueries queries, string sn, CancellationToken ct) =>
            TypedResults.Ok(await queries.CapturesAsync(user.Actor(), sn, ct)));
        devices.MapPost("/cashier", async (ClaimsPrincipal user, FaceCashier cashier, string sn, ConsoleCashier body, CancellationToken ct) =>
            TypedResults.Ok(Step(await cashier.StartAsync(new CashierStart(sn, body.Amount, body.OutTradeNo, body.Subject, body.AppId, body.NotifyUrl, "console")
            {
                Actor = user.Actor(),
            }, ct))));
        devices.MapPost("/cashier/face", async (ClaimsPrincipal user, FaceCashier cashier, string sn, ConsoleCapture body, CancellationToken ct) =>
            TypedResults.Ok(Step(await cashier.CaptureAsync(sn, body.UserId ?? throw TouchpointException.Invalid("请选择会员"), Conditions(body.Conditions), user.Actor(), ct))));
        devices.MapPost("/cashier/verify", async (ClaimsPrincipal user, FaceCashier cashier, string sn, ConsoleVerify body, CancellationToken ct) =>
            TypedResults.Ok(Step(await cashier.VerifyAsync(sn, body.Digits, user.Actor(), ct))));
        devices.MapPut("/camera", async (ClaimsPrincipal user, CameraFlags flags, string sn, CameraFlag body, CancellationToken ct) =>
        {
            await flags.SetAsync(user.Actor(), sn, body.Dirty, ct);
            return TypedResults.NoContent();
        });

        var tools = app.MapApiGroup("/api/tools");
        tools.MapGet("/face-diagnosis", async (ClaimsPrincipal user, PaymentQueries queries, string? q, CancellationToken ct) =>
            TypedResults.Ok(await queries.DiagnoseAsync(user.Actor(), q, ct)));

        var members = app.MapApiGroup("/api/members");
        members.MapGet("/", async (ClaimsPrincipal user, MemberAdmin admin, CancellationToken ct) => TypedResults.Ok(await admin.ListAsync(user.Actor(), ct)));
        members.MapPost("/", async (ClaimsPrincipal user, MemberAdmin admin, MemberEdit body, CancellationToken ct) =>
            TypedResults.Ok(await admin.CreateAsync(user.Actor(), body, ct)));
        members.MapPut("/{userId}", async (ClaimsPrincipal user, MemberAdmin admin, string userId, MemberEdit body, CancellationToken ct) =>
            TypedResults.Ok(await admin.UpdateAsync(user.Actor(), userId, body, ct)));
        return app;
    }

    public sealed record StepView(string ZimId, string Status, string Screen, string? Code, string? Title, string? Message, IReadOnlyList<string>? Advice,
        int? VerifyDigits, string? TradeNo, string? Broadcast, string? Ftoken, string? OutTradeNo);

    public static StepView Step(CashierStep step) => new(step.Session.ZimId, step.Session.Status.ToString(), step.Screen.Screen, step.Screen.Code,
        step.Screen.Title, step.Screen.Message, step.Screen.Advice, step.Screen.VerifyDigits, step.TradeNo, step.Screen.Broadcast, step.Screen.Ftoken,
        step.Session.OutTradeNo);

    public static CaptureConditions Conditions(IEnumerable<string>? names)
    {
        try
        {
            return FaceCaptureRule.ParseConditions(names);
        }
        catch (ArgumentException e)
        {
            throw TouchpointException.Invalid(e.Message);
        }
    }

    private static async Task<IResult> ExportAsync(HttpContext http, ClaimsPrincipal user, PaymentQueries queries, string? sn, DateOnly? from, DateOnly? to,
        TradeStatus? status, string? keyword, CancellationToken ct)
    {
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment")
        {
            FileNameStar = $"交易明细-{ChinaTime.Format(DateTime.UtcNow, "yyyyMMdd-HHmmss")}.csv", FileName = "trades.csv",
        }.ToString();
        await CsvWriter.WriteAsync(http.Response.Body,
            ["支付宝交易号", "商户订单号", "机具SN", "商品", "金额(元)", "已退款(元)", "状态", "支付方式", "资金渠道", "付款人", "创建时间", "付款时间"],
            Rows(queries.ExportAsync(user.Actor(), new TradeFilter(sn, from, to, status, keyword), ct)), ct);
        return TypedResults.Empty;
    }

    private static async IAsyncEnumerable<string[]> Rows(IAsyncEnumerable<TradeRow> rows)
    {
        await foreach (var r in rows)
        {
            yield return [r.TradeNo, r.OutTradeNo, r.Sn ?? "", r.Subject, r.TotalAmount, r.RefundFee, r.StatusName, r.SceneName, r.FundName ?? "", r.Buyer ?? "", r.CreatedAt, r.PaidAt ?? ""];
        }
    }
}

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

/// <summary>The simulation's 摄像头脏污 switch on a terminal: remote management (the owner, or a grantee with 远程管理).</summary>
public sealed class CameraFlags(IDbContextFactory<TouchpointDb> factory, DeviceAccess access, TimeProvider clock)
{
    public async Task SetAsync(Actor actor, string sn, bool dirty, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.RemoteManagement, ct);
        await db.Devices.Where(d => d.Id == device.Id).ExecuteUpdateAsync(u => u.SetProperty(d => d.CameraDirty, dirty), ct);
        Audit.AuditLog.Add(db, clock, actor.Id, Core.Audit.AuditAction.CameraFlagChanged, device.OwnerId, (device.Id, device.Sn),
            dirty ? "模拟：摄像头脏污（多数刷脸将以 Z1010 失败）" : "模拟：摄像头已清洁");
        await db.SaveChangesAsync(ct);
    }
}
