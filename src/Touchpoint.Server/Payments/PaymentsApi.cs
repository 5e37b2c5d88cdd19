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
