using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Grants;
using Touchpoint.Core.Payments;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Payments;
using Touchpoint.Server.Tests.Infrastructure;
using static Touchpoint.Server.Tests.Authorization.Rel;
using static Touchpoint.Server.Tests.Authorization.RowContext;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>
/// 交易管理, 刷脸记录, 模拟收款, the face diagnostics tool, 会员 and the runtime's people at terminals. A trade is its merchant's
/// (the terminal's owner): the merchant reads and refunds it, the operator reads it, nobody else sees it — no grant carries
/// trades or refunds. Taking payments at a terminal (收款) is the owner's alone; 刷脸记录 is viewing (any grant); the
/// camera switch is remote management. Members are the operator's to change. The diagnostics tool answers the operator,
/// and others for members seen at terminals they own or hold a grant on.
/// </summary>
public static class PaymentsMatrix
{
    private const string Trades = "/api/trades/";
    private const string Summary = "/api/trades/summary";
    private const string Export = "/api/trades/export";
    private const string Trade = "/api/trades/{tradeNo}";
    private const string Refund = "/api/trades/{tradeNo}/refund";
    private const string Captures = "/api/devices/{sn}/face-captures";
    private const string Cashier = "/api/devices/{sn}/cashier";
    private const string Face = "/api/devices/{sn}/cashier/face";
    private const string Verify = "/api/devices/{sn}/cashier/verify";
    private const string Camera = "/api/devices/{sn}/camera";
    private const string Diagnosis = "/api/tools/face-diagnosis";
    private const string Members = "/api/members/";
    private const string Member = "/api/members/{userId}";
    private const string PaymentCode = "/runtime/members/{userId}/payment-code";
    private const string RtCashier = "/runtime/terminals/{sn}/cashier";
    private const string RtFace = "/runtime/terminals/{sn}/face";
    private const string RtVerify = "/runtime/terminals/{sn}/verify";
    private const string Scan = "/runtime/scan";
    private const string Confirm = "/runtime/trades/{tradeNo}/confirm";

    private const string Unknown = "unknown member, terminal, code or trade";
    private const string NoSession = "no cashier waiting at the terminal";

    public static readonly IReadOnlyList<Row> Rows =
    [
        //  method  pattern     relation                  status  case
        new("GET",  Trades,     Owner,                    200),
        new("GET",  Trades,     OtherMerchant,            200),  // lists none of the owner's trades
        new("GET",  Trades,     GranteeWithPermission,    200),  // a grant shows no trades
        new("GET",  Trades,     Operator,                 200),
        new("GET",  Trades,     Anonymous,                401),
        new("GET",  Summary,    Owner,                    200),
        new("GET",  Summary,    Operator,                 200),
        new("GET",  Summary,    Anonymous,                401),
        new("GET",  Export,     Owner,                    200),
        new("GET",  Export,     OtherMerchant,            200),  // exports none of the owner's trades
        new("GET",  Export,     Anonymous,                401),
        new("GET",  Trade,      Owner,                    200),
        new("GET",  Trade,      Operator,                 200),
        new("GET",  Trade,      OtherMerchant,            404),
        new("GET",  Trade,      GranteeWithPermission,    404),
        new("GET",  Trade,      Anonymous,                401),
        new("POST", Refund,     Owner,                    200),
        new("POST", Refund,     Owner,                    400, Matrix.WithoutRequestedWith),
        new("POST", Refund,     Operator,                 403),  // support reads trades, never moves money
        new("POST", Refund,     OtherMerchant,            404),
        new("POST", Refund,     GranteeWithPermission,    404),
        new("POST", Refund,     Anonymous,                401),
        new("GET",  Captures,   Owner,                    200),
        new("GET",  Captures,   GranteeWithPermission,    200),
        new("GET",  Captures,   GranteeWithoutPermission, 403),  // its grant was revoked
        new("GET",  Captures,   OtherMerchant,            403),
        new("GET",  Captures,   Operator,                 200),
        new("GET",  Captures,   Anonymous,                401),
        new("POST", Cashier,    Owner,                    200),
        new("POST", Cashier,    Owner,                    400, Matrix.WithoutRequestedWith),
        new("POST", Cashier,    GranteeWithPermission,    403),  // every grant, and still no 收款
        new("POST", Cashier,    OtherMerchant,            403),
        new("POST", Cashier,    Operator,                 403),
        new("POST", Cashier,    Anonymous,                401),
        new("POST", Face,       Owner,                    200),
        new("POST", Face,       GranteeWithPermission,    403),
        new("POST", Face,       Operator,                 403),
        new("POST", Face,       Anonymous,                401),
        new("POST", Verify,     Owner,                    200),
        new("POST", Verify,     GranteeWithPermission,    403),
        new("POST", Verify,     Anonymous,                401),
        new("PUT",  Camera,     Owner,                    204),
        new("PUT",  Camera,     GranteeWithPermission,    204),  // 远程管理
        new("PUT",  Camera,     GranteeWithoutPermission, 403),
        new("PUT",  Camera,     OtherMerchant,            403),
        new("PUT",  Camera,     Operator,                 403),
        new("PUT",  Camera,     Anonymous,                401),
        new("GET",  Diagnosis,  Owner,                    200),
        new("GET",  Diagnosis,  GranteeWithPermission,    200),  // the member tried at a terminal granted to it
        new("GET",  Diagnosis,  OtherMerchant,            404),
        new("GET",  Diagnosis,  Operator,                 200),
        new("GET",  Diagnosis,  Anonymous,                401),
        new("GET",  Members,    Owner,                    200),  // masked
        new("GET",  Members,    Operator,                 200),
        new("GET",  Members,    Anonymous,                401),
        new("POST", Members,    Operator,                 200),
        new("POST", Members,    Owner,                    403),
        new("POST", Members,    Anonymous,                401),
        new("PUT",  Member,     Operator,                 200),
        new("PUT",  Member,     Owner,                    403),
        new("PUT",  Member,     Anonymous,                401),
        new("POST", PaymentCode, Anonymous,               200),
        new("POST", PaymentCode, Anonymous,               404, Unknown),
        new("POST", RtCashier,  Anonymous,                200),
        new("POST", RtCashier,  Anonymous,                404, Unknown),
        new("POST", RtFace,     Anonymous,                200),
        new("POST", RtFace,     Anonymous,                409, NoSession),
        new("POST", RtVerify,   Anonymous,                200),
        new("POST", RtVerify,   Anonymous,                409, NoSession),
        new("POST", Scan,       Anonymous,                200),
        new("POST", Scan,       Anonymous,                400, Unknown),
        new("POST", Confirm,    Anonymous,                200),
        new("POST", Confirm,    Anonymous,                400, Unknown),
        .. Page("/trades"), .. Page("/tools/face"), .. Page("/ops/members"),
    ];

    private static Row[] Page(string pattern) =>
    [
        new("GET",  pattern, Owner,     200),
        new("GET",  pattern, Operator,  200),
        new("GET",  pattern, Anonymous, 302),
        new("POST", pattern, Owner,     400),
        new("POST", pattern, Anonymous, 302),
    ];

    private static T Service<T>(MatrixWorld w) where T : notnull => w.F.Services.GetRequiredService<T>();

    /// <summary>A paid trade of <paramref name="seller"/> (the owner by default): the demo member's payment code, one fen.</summary>
    public static async Task<Trade> TradeAsync(MatrixWorld w, TestAccount? seller = null, string amount = "0.01", string? terminal = null, long? appId = null)
    {
        var (code, _) = await Service<MemberAdmin>(w).PaymentCodeAsync(MatrixWorld.MemberUserId, default);
        var paid = await Service<TradeService>(w).PayAsync(new PayRequest
        {
            SellerId = (seller ?? w.Owner).Id, AppId = appId, OutTradeNo = PaymentScenario.NewOrderNo(), TotalAmount = amount, Subject = "矩阵交易",
            Scene = "bar_code", AuthCode = code, TerminalSn = terminal,
        }, default);
        return paid.View.Trade;
    }

    /// <summary>The terminal's IoT cashier waiting for a face (started by the terminal itself).</summary>
    public static Task<CashierStep> CashierAsync(MatrixWorld w, string sn, bool tokenOnly = false) =>
        Service<FaceCashier>(w).StartAsync(new CashierStart(sn, tokenOnly ? null : "0.01", null, "矩阵收款", null, null, "terminal") { TokenOnly = tokenOnly }, default);

    /// <summary>A face token from the terminal (a service provider's own cashier: no amount).</summary>
    public static async Task<string> FtokenAsync(MatrixWorld w, string sn)
    {
        await CashierAsync(w, sn, tokenOnly: true);
        var step = await Service<FaceCashier>(w).CaptureAsync(sn, MatrixWorld.MemberUserId, CaptureConditions.None, null, default);
        return step.Screen.Ftoken ?? throw new InvalidOperationException($"no ftoken: {step.Screen.Screen} {step.Screen.Message}");
    }

    private static Func<HttpResponseMessage, string, string?> Lists(RowContext c, string text, params Rel[] listedFor) => (_, body) =>
    {
        if (c.Row.Status != 200) return null;
        var listed = body.Contains(text, StringComparison.Ordinal);
        return listed == listedFor.Contains(c.Rel) ? null : $"{text} is {(listed ? "listed" : "missing")}";
    };

    private static async Task<MemberView> NewMemberAsync(MatrixWorld w) =>
        await Service<MemberAdmin>(w).CreateAsync(new Actor(w.Operator.Id, AccountRole.Operator, ""),
            new MemberEdit("矩阵会员", "矩阵会员", "178" + Random.Shared.Next(10_000_000, 99_999_999)), default);

    public static readonly IReadOnlyDictionary<string, Arrange> Arrangements = new Dictionary<string, Arrange>
    {
        [$"GET {Trades}"] = async c => Get("/api/trades/?pageSize=200", Lists(c, (await TradeAsync(c.W)).TradeNo, Owner, Operator)),
        [$"GET {Summary}"] = c => Task.FromResult(Get(Summary)),
        [$"GET {Export}"] = async c => Get(Export, Lists(c, (await TradeAsync(c.W)).TradeNo, Owner)),
        [$"GET {Trade}"] = async c => Get($"/api/trades/{(await TradeAsync(c.W, terminal: await c.DeviceAsync(GrantPermissions.All))).TradeNo}"),
        [$"POST {Refund}"] = async c => Json($"/api/trades/{(await TradeAsync(c.W, terminal: await c.DeviceAsync(GrantPermissions.All))).TradeNo}/refund",
            new ConsoleRefund("0.01", "矩阵退款", null)),
        [$"GET {Captures}"] = async c => Get($"/api/devices/{await c.DeviceAsync()}/face-captures"),
        [$"POST {Cashier}"] = async c =>
        {
            var sn = await c.DeviceAsync(GrantPermissions.All);
            return Json($"/api/devices/{sn}/cashier", new ConsoleCashier("0.01", null, null, null, null));
        },
        [$"POST {Face}"] = async c =>
        {
            var sn = await c.DeviceAsync(GrantPermissions.All);
            await CashierAsync(c.W, sn);
            return Json($"/api/devices/{sn}/cashier/face", new ConsoleCapture(MatrixWorld.MemberUserId, []));
        },
        [$"POST {Verify}"] = async c =>
        {
            var sn = await c.DeviceAsync(GrantPermissions.All);
            await CashierAsync(c.W, sn);
            await Service<FaceCashier>(c.W).CaptureAsync(sn, MatrixWorld.MemberUserId, CaptureConditions.BadAngle, null, default);
            return Json($"/api/devices/{sn}/cashier/verify", new ConsoleVerify("0000"));
        },
        [$"PUT {Camera}"] = async c =>
        {
            var sn = await c.DeviceAsync(GrantPermissions.RemoteManagement);
            return Json($"/api/devices/{sn}/camera", new CameraFlag(false));
        },
        [$"GET {Diagnosis}"] = async c =>
        {
            var member = await NewMemberAsync(c.W);
            var sn = await c.DeviceAsync(GrantPermissions.Poster);
            await CashierAsync(c.W, sn);
            await Service<FaceCashier>(c.W).CaptureAsync(sn, member.UserId, CaptureConditions.CameraBlocked, null, default);
            return Get($"{Diagnosis}?q={member.UserId}");
        },
        [$"GET {Members}"] = c => Task.FromResult(Get(Members)),
        [$"POST {Members}"] = c => Task.FromResult(Json(Members, new MemberEdit("矩阵新会员", "矩阵新会员", "177" + Random.Shared.Next(10_000_000, 99_999_999)))),
        [$"PUT {Member}"] = async c =>
        {
            var member = await NewMemberAsync(c.W);
            return Json($"/api/members/{member.UserId}", new MemberEdit("改过的会员", "改过的会员", member.Mobile, FacePayEnabled: false));
        },
        [$"POST {PaymentCode}"] = c => Task.FromResult(Json($"/runtime/members/{(c.Is(Unknown) ? "2088000000000000" : MatrixWorld.MemberUserId)}/payment-code", new { })),
        [$"POST {RtCashier}"] = async c => Json($"/runtime/terminals/{(c.Is(Unknown) ? Scenario.NewSn() : await c.W.OwnedDeviceAsync())}/cashier",
            new RuntimeCashier("0.01", null, "矩阵", null, null)),
        [$"POST {RtFace}"] = async c =>
        {
            var sn = await c.W.OwnedDeviceAsync();
            if (!c.Is(NoSession)) await CashierAsync(c.W, sn);
            return Json($"/runtime/terminals/{sn}/face", new RuntimeFace(MatrixWorld.MemberUserId, []));
        },
        [$"POST {RtVerify}"] = async c =>
        {
            var sn = await c.W.OwnedDeviceAsync();
            await CashierAsync(c.W, sn);
            if (!c.Is(NoSession)) await Service<FaceCashier>(c.W).CaptureAsync(sn, MatrixWorld.MemberUserId, CaptureConditions.BadAngle, null, default);
            return Json($"/runtime/terminals/{sn}/verify", new RuntimeDigits("0000"));
        },
        [$"POST {Scan}"] = async c =>
        {
            if (c.Is(Unknown)) return Json(Scan, new RuntimeScan("https://qr.touchpoint.local/nothing", MatrixWorld.MemberUserId));
            var pre = await Service<TradeService>(c.W).PrecreateAsync(c.W.Owner.Id, null, PaymentScenario.NewOrderNo(), "0.01", "矩阵扫码", null, null, null, null, null, default);
            return Json(Scan, new RuntimeScan(Service<TradeService>(c.W).QrCode(pre.Trade), MatrixWorld.MemberUserId));
        },
        [$"POST {Confirm}"] = async c =>
        {
            if (c.Is(Unknown)) return Json("/runtime/trades/2026000000000000/confirm", new RuntimeScan(null, MatrixWorld.MemberUserId));
            var waiting = await TradeAsync(c.W, amount: "2000.01");
            return Json($"/runtime/trades/{waiting.TradeNo}/confirm", new RuntimeScan(null, MatrixWorld.MemberUserId));
        },
        ["GET /trades"] = c => Task.FromResult(Get("/trades", PublicMatrix.RedirectsTo("/login"))),
        ["POST /trades"] = c => Task.FromResult(new Call("/trades", new FormUrlEncodedContent([]), PublicMatrix.RedirectsTo("/login"))),
        ["GET /tools/face"] = c => Task.FromResult(Get("/tools/face", PublicMatrix.RedirectsTo("/login"))),
        ["POST /tools/face"] = c => Task.FromResult(new Call("/tools/face", new FormUrlEncodedContent([]), PublicMatrix.RedirectsTo("/login"))),
        ["GET /ops/members"] = c => Task.FromResult(Get("/ops/members", PublicMatrix.RedirectsTo("/login"))),
        ["POST /ops/members"] = c => Task.FromResult(new Call("/ops/members", new FormUrlEncodedContent([]), PublicMatrix.RedirectsTo("/login"))),
    };
}
