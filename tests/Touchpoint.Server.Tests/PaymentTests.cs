using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Payments;
using Touchpoint.Device;
using Touchpoint.Sdk;
using Touchpoint.Server.Payments;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>Face pay at live terminals and trades through the gateway, on SQLite and PostgreSQL.</summary>
public abstract class PaymentTests(TouchpointFactory factory)
{
    private const string Pay = "alipay.trade.pay";
    private const string Query = "alipay.trade.query";
    private const string Refund = "alipay.trade.refund";

    private async Task<(TestAccount Merchant, TestApp App, OpenApiClient Gateway, string[] Sns)> MerchantAsync(int devices = 1)
    {
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant);
        var sns = await factory.OnboardAsync(merchant, devices);
        var app = await merchant.NewMiniProgramAsync();
        return (merchant, app, await factory.GatewayClientAsync(app), sns);
    }

    [Fact]
    public async Task AFacePaymentAtALiveTerminalReachesTheMerchantsBackEndAndIsAnnounced()
    {
        var (merchant, app, gateway, sns) = await MerchantAsync();
        await using var receiver = await NotificationReceiver.StartAsync();
        using var stop = new CancellationTokenSource();
        var (agents, runs) = await factory.StartAgentsAsync(merchant, sns, stop.Token);
        var agent = agents[0];
        var member = await factory.NewMemberAsync();
        var order = PaymentScenario.NewOrderNo();

        await agent.StartCashierAsync("12.50", order, "门店消费", app.AppId, receiver.Url);
        await agent.WaitForScreenAsync(s => s.Screen == "face", TimeSpan.FromSeconds(10));
        var step = await factory.FaceAsync(sns[0], member.UserId);
        Assert.Equal("success", step.S("screen"));
        var success = await agent.WaitForScreenAsync(s => s.Screen == "success", TimeSpan.FromSeconds(10));
        Assert.Equal("支付宝到账 12.5 元", success.Broadcast);
        Assert.Contains("支付宝到账 12.5 元", agent.Announcements);

        var query = await gateway.ExecuteAsync(Query, new { out_trade_no = order });
        Assert.Equal(("10000", "TRADE_SUCCESS", "12.50", member.UserId), (query.Code, query.Text("trade_status"), query.Text("total_amount"), query.Text("buyer_user_id")));
        Assert.Equal(sns[0], query.Text("terminal_id"));
        Assert.Equal("ALIPAYACCOUNT", query.Node.GetProperty("fund_bill_list")[0].GetProperty("fund_channel").GetString());

        var delivered = (await receiver.WaitForAsync(1)).Single();
        Assert.Equal(("trade_status_sync", "TRADE_SUCCESS", order), (delivered.Form["notify_type"], delivered.Form["trade_status"], delivered.Form["out_trade_no"]));
        var platform = await factory.PlatformAsync();
        using (var verifier = new NotificationVerifier(platform.PlatformPublicKey))
        {
            Assert.True(verifier.Verify(delivered.Form));
        }

        // A partial refund, idempotent per out_request_no; the same number with another amount is refused.
        var refund = await gateway.ExecuteAsync(Refund, new { out_trade_no = order, refund_amount = "5.00", out_request_no = "R1" });
        Assert.Equal(("10000", "Y", "5.00"), (refund.Code, refund.Text("fund_change"), refund.Text("refund_fee")));
        var again = await gateway.ExecuteAsync(Refund, new { out_trade_no = order, refund_amount = "5.00", out_request_no = "R1" });
        Assert.Equal(("10000", "N", "5.00"), (again.Code, again.Text("fund_change"), again.Text("refund_fee")));
        var discordant = await gateway.ExecuteAsync(Refund, new { out_trade_no = order, refund_amount = "6.00", out_request_no = "R1" });
        Assert.Equal(("40004", "ACQ.DISCORDANT_REPEAT_REQUEST"), (discordant.Code, discordant.SubCode));
        var tooMuch = await gateway.ExecuteAsync(Refund, new { out_trade_no = order, refund_amount = "8.00", out_request_no = "R2" });
        Assert.Equal(("40004", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"), (tooMuch.Code, tooMuch.SubCode));
        var rest = await gateway.ExecuteAsync(Refund, new { out_trade_no = order, refund_amount = "7.50", out_request_no = "R2" });
        Assert.Equal("12.50", rest.Text("refund_fee"));
        var closed = await gateway.ExecuteAsync(Query, new { out_trade_no = order });
        Assert.Equal("TRADE_CLOSED", closed.Text("trade_status"));
        var refundQuery = await gateway.ExecuteAsync("alipay.trade.fastpay.refund.query", new { out_trade_no = order, out_request_no = "R1" });
        Assert.Equal(("10000", "5.00"), (refundQuery.Code, refundQuery.Text("refund_amount")));
        var refunds = await receiver.WaitForAsync(3);
        Assert.Equal("TRADE_CLOSED", refunds[^1].Form["trade_status"]);
        Assert.Equal("12.50", refunds[^1].Form["refund_fee"]);
        // The money went back: the member's balance is whole again.
        var after = (await (await factory.OperatorAsync()).GetAsync<List<MemberView>>("/api/members")).Single(m => m.UserId == member.UserId);
        Assert.Equal("3000.00", after.Funding[0].Balance);

        stop.Cancel();
        await Task.WhenAll(runs);
    }

    [Fact]
    public async Task ATerminalWithItsAnnouncementOffShowsTheSuccessSilentlyAndTurnedBackOnSpeaksAtItsVolume()
    {
        var (merchant, _, gateway, sns) = await MerchantAsync();
        using var stop = new CancellationTokenSource();
        var (agents, runs) = await factory.StartAgentsAsync(merchant, sns, stop.Token);
        var agent = agents[0];
        var member = await factory.NewMemberAsync();
        var url = $"/api/devices/{sns[0]}/announcement";
        var initial = await merchant.Client.GetAsync<Broadcasts.AnnouncementView>(url);
        Assert.Equal((true, 70), (initial.Enabled, initial.Volume));
        var tooLoud = await merchant.Client.PutAsJsonAsync(url, new Broadcasts.AnnouncementEdit(true, 101), ApiClient.Json);
        Assert.Equal("音量必须在 0 到 100 之间", await tooLoud.ProblemAsync(System.Net.HttpStatusCode.BadRequest));

        await merchant.Client.PutAsync<Broadcasts.AnnouncementView>(url, new Broadcasts.AnnouncementEdit(false, 70));
        var silent = await gateway.ExecuteAsync(Pay, new
        {
            out_trade_no = PaymentScenario.NewOrderNo(), scene = "bar_code", auth_code = await factory.PaymentCodeAsync(member.UserId),
            total_amount = "3.00", subject = "静音", terminal_id = sns[0],
        });
        Assert.Equal("10000", silent.Code);
        var shown = await agent.WaitForScreenAsync(s => s.Screen == "success" && s.TradeNo == silent.Text("trade_no"), TimeSpan.FromSeconds(10));
        Assert.Null(shown.Broadcast);
        // By face too: neither the terminal nor the step the console and the runtime show says it aloud.
        await agent.StartCashierAsync("5.00", PaymentScenario.NewOrderNo(), "静音刷脸");
        await agent.WaitForScreenAsync(s => s.Screen == "face", TimeSpan.FromSeconds(10));
        var faceStep = await factory.FaceAsync(sns[0], member.UserId);
        Assert.Equal(("success", ""), (faceStep.S("screen"), faceStep.S("broadcast")));
        Assert.Null((await agent.WaitForScreenAsync(s => s.Screen == "success" && s.TradeNo == faceStep.S("tradeNo"), TimeSpan.FromSeconds(10))).Broadcast);
        Assert.Empty(agent.Announcements);
        // A body without one of the two fields is refused, not read as off or silent.
        var partial = await merchant.Client.PutAsJsonAsync(url, new { volume = 50 }, ApiClient.Json);
        Assert.Equal("请填写是否开启到账播报（enabled）", await partial.ProblemAsync(System.Net.HttpStatusCode.BadRequest));

        var loud = await merchant.Client.PutAsync<Broadcasts.AnnouncementView>(url, new Broadcasts.AnnouncementEdit(true, 35));
        Assert.Equal((true, 35), (loud.Enabled, loud.Volume));
        var spoken = await gateway.ExecuteAsync(Pay, new
        {
            out_trade_no = PaymentScenario.NewOrderNo(), scene = "bar_code", auth_code = await factory.PaymentCodeAsync(member.UserId),
            total_amount = "4.00", subject = "播报", terminal_id = sns[0],
        });
        var said = await agent.WaitForScreenAsync(s => s.Screen == "success" && s.TradeNo == spoken.Text("trade_no"), TimeSpan.FromSeconds(10));
        Assert.Equal(("支付宝到账 4 元", 35), (said.Broadcast, said.Volume));
        Assert.Equal(["支付宝到账 4 元"], agent.Announcements);

        stop.Cancel();
        await Task.WhenAll(runs);
    }

    [Fact]
    public async Task EachFaceErrorHappensForItsReasonAndIsShownOnTheTerminal()
    {
        var (merchant, _, _, sns) = await MerchantAsync();
        using var stop = new CancellationTokenSource();
        var (agents, runs) = await factory.StartAgentsAsync(merchant, sns, stop.Token);
        var agent = agents[0];
        var sn = sns[0];
        var member = await factory.NewMemberAsync();

        // Z1010: a blocked camera; the session stays open so the member can try again.
        await factory.StartCashierAsync(sn, "10.00");
        var blocked = await factory.FaceAsync(sn, member.UserId, "camera_blocked");
        Assert.Equal(("error", "Z1010"), (blocked.S("screen"), blocked.S("code")));
        var shown = await agent.WaitForScreenAsync(s => s.Code == "Z1010", TimeSpan.FromSeconds(10));
        Assert.Contains(shown.Advice!, a => a.Contains("摄像头是否被遮挡"));
        Assert.Contains(shown.Advice!, a => a.Contains("其他人"));
        Assert.Contains(shown.Advice!, a => a.Contains("恢复出厂设置"));

        // A bad angle asks for the last 4 digits; wrong digits fail the payment.
        var angle = await factory.FaceAsync(sn, member.UserId, "bad_angle");
        Assert.Equal(("verify", "4"), (angle.S("screen"), angle.S("verifyDigits")));
        var wrong = await factory.VerifyAsync(sn, "0000");
        Assert.Equal(("error", "VERIFY_FAILED"), (wrong.S("screen"), wrong.S("code")));

        // A look-alike member is asked for all 11 digits; the right ones pay.
        var twin = await factory.NewMemberAsync(lookAlike: true);
        await factory.StartCashierAsync(sn, "10.00");
        var look = await factory.FaceAsync(sn, twin.UserId);
        Assert.Equal("11", look.S("verifyDigits"));
        var op = await factory.OperatorAsync();
        var mobile = (await op.GetAsync<List<MemberView>>("/api/members")).Single(m => m.UserId == twin.UserId).Mobile;
        Assert.Equal("success", (await factory.VerifyAsync(sn, mobile)).S("screen"));

        // error 1400: over the cashier's 1,000,000, and over the member's 5,000 a day by face.
        var huge = await factory.StartCashierAsync(sn, "1000000.01");
        Assert.Equal(("error", "1400"), (huge.S("screen"), huge.S("code")));
        Assert.Contains("单日刷脸支付金额上限 5000 元", huge.S("message"));
        var rich = await factory.NewMemberAsync(balance: "100000.00");
        await factory.StartCashierAsync(sn, "4990.00");
        Assert.Equal("success", (await factory.FaceAsync(sn, rich.UserId)).S("screen"));
        await factory.StartCashierAsync(sn, "20.00");
        var limit = await factory.FaceAsync(sn, rich.UserId);
        Assert.Equal(("error", "1400"), (limit.S("screen"), limit.S("code")));
        await agent.WaitForScreenAsync(s => s.Code == "1400", TimeSpan.FromSeconds(10));

        // Face pay off, a face to capture again, not enough money: each its own error.
        var off = await factory.NewMemberAsync(facePay: false);
        await factory.StartCashierAsync(sn, "1.00");
        Assert.Equal("ACQ.USER_FACE_PAYMENT_SWITCH_OFF", (await factory.FaceAsync(sn, off.UserId)).S("code"));
        var recapture = await factory.NewMemberAsync(status: FaceStatus.NeedsRecapture);
        await factory.StartCashierAsync(sn, "1.00");
        var re = await factory.FaceAsync(sn, recapture.UserId);
        Assert.Equal("ACQ.PAYMENT_REQUEST_HAS_RISK", re.S("code"));
        Assert.Contains("重新采集", re.S("message"));
        var poor = await factory.NewMemberAsync(balance: "1.00", huabei: "0.00", card: "0.00");
        await factory.StartCashierAsync(sn, "2.00");
        Assert.Equal("ACQ.BUYER_BALANCE_NOT_ENOUGH", (await factory.FaceAsync(sn, poor.UserId)).S("code"));

        // Every capture is recorded with its outcome and why it escalated.
        var captures = await merchant.Client.GetAsync<CaptureReport>($"/api/devices/{sn}/face-captures");
        Assert.Contains(captures.Recent, c => c.ZCode == "Z1010");
        Assert.Contains(captures.Recent, c => c.Escalation == "刷脸角度不正" && c.VerifyPassed == false);
        Assert.Contains(captures.Recent, c => c.Escalation == "相似脸" && c.VerifyPassed == true && c.Result == "支付成功");
        stop.Cancel();
        await Task.WhenAll(runs);
    }

    [Fact]
    public async Task ParallelGuessesOfThePhoneDigitsGetOneAnswer()
    {
        var (_, _, _, sns) = await MerchantAsync();
        var member = await factory.NewMemberAsync();
        await factory.StartCashierAsync(sns[0], "3.00");
        Assert.Equal("verify", (await factory.FaceAsync(sns[0], member.UserId, "bad_angle")).S("screen"));
        var mobile = (await (await factory.OperatorAsync()).GetAsync<List<MemberView>>("/api/members")).Single(m => m.UserId == member.UserId).Mobile;
        using var http = factory.CreateClient();
        var guesses = Enumerable.Range(0, 12).Select(i => i == 7 ? mobile[^4..] : (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var answers = await Task.WhenAll(guesses.Select(g => http.PostAsJsonAsync($"/runtime/terminals/{sns[0]}/verify", new RuntimeDigits(g), ApiClient.Json)));
        // The first answer decides (a wrong one fails the payment); every other guess is told the terminal is busy or done.
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
    }

    [Fact]
    public async Task ARefundFindsTheMoneysWayBackAfterTheOperatorEditedTheMember()
    {
        var (_, _, gateway, _) = await MerchantAsync();
        var member = await factory.NewMemberAsync(balance: "100.00");
        var order = PaymentScenario.NewOrderNo();
        Assert.Equal("10000", (await gateway.ExecuteAsync(Pay, new { out_trade_no = order, scene = "bar_code", auth_code = await factory.PaymentCodeAsync(member.UserId), total_amount = "40.00", subject = "改前" })).Code);
        var op = await factory.OperatorAsync();
        var edited = await op.PutAsync<MemberView>($"/api/members/{member.UserId}", new MemberEdit("测试会员", "测试会员甲",
            (await op.GetAsync<List<MemberView>>("/api/members")).Single(m => m.UserId == member.UserId).Mobile, FacePayEnabled: false,
            Funding: [new FundingEdit(FundingKind.Balance, "余额", "10.00")]));
        Assert.Single(edited.Funding);
        Assert.Equal("10000", (await gateway.ExecuteAsync(Refund, new { out_trade_no = order, refund_amount = "40.00" })).Code);
        Assert.Equal("50.00", (await op.GetAsync<List<MemberView>>("/api/members")).Single(m => m.UserId == member.UserId).Funding[0].Balance);
        // A scan without a QR code is refused, not matched to some other waiting trade.
        var scan = await factory.RuntimeAsync("/scan", new RuntimeScan(null, member.UserId), expected: 400);
        Assert.Equal("40001", scan.S("code"));
    }

    [Fact]
    public async Task FiftyParallelFacePaymentsOfOneMemberNeverPassTheDailyLimit()
    {
        var (_, app, gateway, sns) = await MerchantAsync(devices: 50);
        var member = await factory.NewMemberAsync(balance: "100000.00");
        var tokens = new List<string>();
        foreach (var sn in sns)
        {
            var init = await gateway.ExecuteAsync("zoloz.authentication.customer.smilepay.initialize",
                new { zimmetainfo = JsonSerializer.Serialize(new { sn, appName = "test", bioMetaInfo = "3.0" }) });
            Assert.Equal("10000", init.Code);
            Assert.StartsWith("zim", JsonDocument.Parse(init.Text("result")!).RootElement.GetProperty("zimId").GetString());
            var step = await factory.FaceAsync(sn, member.UserId);
            Assert.Equal("identified", step.S("screen"));
            tokens.Add(step.S("ftoken"));
        }
        Assert.All(tokens, t => Assert.Equal(35, t.Length));
        var answers = await Task.WhenAll(tokens.Select(t => gateway.ExecuteAsync(Pay, new
        {
            out_trade_no = PaymentScenario.NewOrderNo(), scene = "security_code", auth_code = t, total_amount = "200.00", subject = "并发刷脸",
        })));
        Assert.Equal(25, answers.Count(a => a.Code == "10000"));
        Assert.All(answers.Where(a => a.Code != "10000"), a => Assert.Equal("ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR", a.SubCode));
        var diagnosis = await (await factory.OperatorAsync()).GetAsync<FaceDiagnosis>($"/api/tools/face-diagnosis?q={member.UserId}");
        Assert.Equal(("5000.00", "0.00"), (diagnosis.PaidToday, diagnosis.Remaining));
    }

    [Fact]
    public async Task ParallelRetriesWithOneFaceTokenMakeOneTradeAndEachGetsItsAnswer()
    {
        var (_, _, gateway, sns) = await MerchantAsync();
        var member = await factory.NewMemberAsync();
        var init = await gateway.ExecuteAsync("zoloz.authentication.customer.smilepay.initialize",
            new { zimmetainfo = JsonSerializer.Serialize(new { sn = sns[0], appName = "test", bioMetaInfo = "3.0" }) });
        Assert.Equal("10000", init.Code);
        var token = (await factory.FaceAsync(sns[0], member.UserId)).S("ftoken");
        var order = PaymentScenario.NewOrderNo();
        // Two thirds of the member's 3,000.00: a retry that reached the money before the token would find too little left
        // and answer "balance not enough" for a trade that was paid.
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => gateway.ExecuteAsync(Pay, new
        {
            out_trade_no = order, scene = "security_code", auth_code = token, total_amount = "2000.00", subject = "刷脸重试",
        })));
        Assert.All(answers, a => Assert.Equal("10000", a.Code));
        Assert.Single(answers.Select(a => a.Text("trade_no")).Distinct());
        var op = await factory.OperatorAsync();
        Assert.Equal("1000.00", (await op.GetAsync<List<MemberView>>("/api/members")).Single(m => m.UserId == member.UserId).Funding[0].Balance);
    }

    [Fact]
    public async Task AHundredParallelPaysWithOneOutTradeNoMakeOneTrade()
    {
        var (_, _, gateway, sns) = await MerchantAsync();
        var member = await factory.NewMemberAsync();
        var code = await factory.PaymentCodeAsync(member.UserId);
        var order = PaymentScenario.NewOrderNo();
        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => gateway.ExecuteAsync(Pay, new
        {
            out_trade_no = order, scene = "bar_code", auth_code = code, total_amount = "9.99", subject = "重复下单", terminal_id = sns[0],
        })));
        Assert.All(answers, a => Assert.Equal("10000", a.Code));
        Assert.Single(answers.Select(a => a.Text("trade_no")).Distinct());
        var op = await factory.OperatorAsync();
        Assert.Equal("2990.01", (await op.GetAsync<List<MemberView>>("/api/members")).Single(m => m.UserId == member.UserId).Funding[0].Balance);

        // The same out_trade_no with other content is tampering; a used payment code cannot pay again.
        var changed = await gateway.ExecuteAsync(Pay, new { out_trade_no = order, scene = "bar_code", auth_code = code, total_amount = "10.00", subject = "重复下单" });
        Assert.Equal(("40004", "ACQ.CONTEXT_INCONSISTENT"), (changed.Code, changed.SubCode));
        var reused = await gateway.ExecuteAsync(Pay, new { out_trade_no = PaymentScenario.NewOrderNo(), scene = "bar_code", auth_code = code, total_amount = "1.00", subject = "再付" });
        Assert.Equal(("40004", "ACQ.PAYMENT_AUTH_CODE_INVALID"), (reused.Code, reused.SubCode));
    }

    [Fact]
    public async Task QrCodesCancelCloseAndPaymentsTheMemberMustConfirm()
    {
        var (_, _, gateway, _) = await MerchantAsync();
        var member = await factory.NewMemberAsync();
        var order = PaymentScenario.NewOrderNo();
        var pre = await gateway.ExecuteAsync("alipay.trade.precreate", new { out_trade_no = order, total_amount = "30.00", subject = "扫码点单" });
        Assert.Equal("10000", pre.Code);
        Assert.Equal("WAIT_BUYER_PAY", (await gateway.ExecuteAsync(Query, new { out_trade_no = order })).Text("trade_status"));
        await factory.RuntimeAsync("/scan", new RuntimeScan(pre.Text("qr_code"), member.UserId));
        Assert.Equal("TRADE_SUCCESS", (await gateway.ExecuteAsync(Query, new { out_trade_no = order })).Text("trade_status"));
        var closePaid = await gateway.ExecuteAsync("alipay.trade.close", new { out_trade_no = order });
        Assert.Equal(("40004", "ACQ.TRADE_STATUS_ERROR"), (closePaid.Code, closePaid.SubCode));
        var cancel = await gateway.ExecuteAsync("alipay.trade.cancel", new { out_trade_no = order });
        Assert.Equal(("10000", "refund"), (cancel.Code, cancel.Text("action")));

        var unpaid = PaymentScenario.NewOrderNo();
        await gateway.ExecuteAsync("alipay.trade.precreate", new { out_trade_no = unpaid, total_amount = "8.00", subject = "未付" });
        Assert.Equal("10000", (await gateway.ExecuteAsync("alipay.trade.close", new { out_trade_no = unpaid })).Code);
        Assert.Equal("TRADE_CLOSED", (await gateway.ExecuteAsync(Query, new { out_trade_no = unpaid })).Text("trade_status"));
        Assert.Equal("ACQ.TRADE_NOT_EXIST", (await gateway.ExecuteAsync(Query, new { out_trade_no = "nope" })).SubCode);

        // Above the password-free amount a payment code waits for the member (10003) until confirmed on the phone.
        var big = PaymentScenario.NewOrderNo();
        var waiting = await gateway.ExecuteAsync(Pay, new { out_trade_no = big, scene = "bar_code", auth_code = await factory.PaymentCodeAsync(member.UserId), total_amount = "2500.00", subject = "大额" });
        Assert.Equal("10003", waiting.Code);
        Assert.Equal("WAIT_BUYER_PAY", (await gateway.ExecuteAsync(Query, new { out_trade_no = big })).Text("trade_status"));
        await factory.RuntimeAsync($"/trades/{waiting.Text("trade_no")}/confirm", new RuntimeScan(null, member.UserId));
        Assert.Equal("TRADE_SUCCESS", (await gateway.ExecuteAsync(Query, new { out_trade_no = big })).Text("trade_status"));

        var bad = await gateway.ExecuteAsync(Pay, new { out_trade_no = PaymentScenario.NewOrderNo(), scene = "bar_code", auth_code = "281234", total_amount = "1.00", subject = "x" });
        Assert.Equal("ACQ.PAYMENT_AUTH_CODE_INVALID", bad.SubCode);
        var amount = await gateway.ExecuteAsync(Pay, new { out_trade_no = PaymentScenario.NewOrderNo(), scene = "bar_code", auth_code = "281234", total_amount = "1.001", subject = "x" });
        Assert.Equal("ACQ.INVALID_PARAMETER", amount.SubCode);
        var missing = await gateway.ExecuteAsync(Pay, new { scene = "bar_code", auth_code = "281234", total_amount = "1.00", subject = "x" });
        Assert.Equal(("40001", "isv.missing-parameter"), (missing.Code, missing.SubCode));
    }

    [Fact]
    public async Task TheMerchantRefundsFromTheConsoleAndADirtyCameraIsFlagged()
    {
        var (merchant, _, _, sns) = await MerchantAsync(devices: 2);
        var member = await factory.NewMemberAsync();
        var (dirty, clean) = (sns[0], sns[1]);
        (await merchant.Client.PutAsJsonAsync($"/api/devices/{dirty}/camera", new CameraFlag(true))).EnsureSuccessStatusCode();
        for (var i = 0; i < 10; i++)
        {
            await merchant.Client.PostAsync<PaymentsApi.StepView>($"/api/devices/{dirty}/cashier", new ConsoleCashier("1.00", null, null, null, null));
            await merchant.Client.PostAsync<PaymentsApi.StepView>($"/api/devices/{dirty}/cashier/face", new ConsoleCapture(member.UserId, []));
            await merchant.Client.PostAsync<PaymentsApi.StepView>($"/api/devices/{clean}/cashier", new ConsoleCashier("1.00", null, null, null, null));
            await merchant.Client.PostAsync<PaymentsApi.StepView>($"/api/devices/{clean}/cashier/face", new ConsoleCapture(member.UserId, []));
        }
        var report = await merchant.Client.GetAsync<CaptureReport>($"/api/devices/{dirty}/face-captures");
        Assert.True(report.Flagged, JsonSerializer.Serialize(report));
        Assert.Equal(8, report.Z1010);
        Assert.Contains(report.Advice, a => a.Contains("其他机具"));
        Assert.False((await merchant.Client.GetAsync<CaptureReport>($"/api/devices/{clean}/face-captures")).Flagged);

        var trades = await merchant.Client.GetAsync<TradePage>("/api/trades");
        Assert.Equal(10, trades.Total);
        var trade = trades.Items[0];
        Assert.Contains("****", trade.Buyer);
        Assert.True(trade.MayRefund);
        var provider = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        Assert.Equal(HttpStatusCode.NotFound, (await provider.Client.PostAsJsonAsync($"/api/trades/{trade.TradeNo}/refund", new ConsoleRefund("1.00", null, null))).StatusCode);
        var op = await factory.OperatorAsync();
        var forbidden = await op.PostAsJsonAsync($"/api/trades/{trade.TradeNo}/refund", new ConsoleRefund("1.00", null, null));
        Assert.Contains("授权给服务商的海报投放", await forbidden.ProblemAsync(HttpStatusCode.Forbidden));
        var detail = await merchant.Client.PostAsync<TradeDetail>($"/api/trades/{trade.TradeNo}/refund", new ConsoleRefund("0.40", "顾客退货", null));
        Assert.Equal(("0.40", "顾客退货"), (detail.Refunds[0].Amount, detail.Refunds[0].Reason));
        Assert.Contains("部分退款", detail.Row.StatusName);
        var summary = await merchant.Client.GetAsync<DaySummary>("/api/trades/summary");
        Assert.Equal((10, "9.60"), (summary.Paid, summary.Takings));
        var csv = await merchant.Client.GetStringAsync("/api/trades/export");
        Assert.Equal(11, csv.Trim().Split('\n').Length);
    }

    [Fact]
    public async Task TheDiagnosticsToolExplainsAMemberToThoseWhoServedThem()
    {
        var (merchant, _, _, sns) = await MerchantAsync();
        var member = await factory.NewMemberAsync(facePay: false);
        await merchant.Client.PostAsync<PaymentsApi.StepView>($"/api/devices/{sns[0]}/cashier", new ConsoleCashier("3.00", null, null, null, null));
        await merchant.Client.PostAsync<PaymentsApi.StepView>($"/api/devices/{sns[0]}/cashier/face", new ConsoleCapture(member.UserId, []));
        var op = await factory.OperatorAsync();
        var mobile = (await op.GetAsync<List<MemberView>>("/api/members")).Single(m => m.UserId == member.UserId).Mobile;

        var seen = await merchant.Client.GetAsync<FaceDiagnosis>($"/api/tools/face-diagnosis?q={mobile}");
        Assert.False(seen.FacePayEnabled);
        Assert.Contains(seen.Findings, f => f.Contains("刷脸支付未开通"));
        Assert.Contains("****", seen.Mobile);
        Assert.Single(seen.Attempts);
        Assert.Equal(mobile, (await op.GetAsync<FaceDiagnosis>($"/api/tools/face-diagnosis?q={mobile}")).Mobile);
        var stranger = await factory.NewAccountAsync(AccountRole.Merchant);
        Assert.Equal(HttpStatusCode.NotFound, await stranger.Client.StatusAsync($"/api/tools/face-diagnosis?q={mobile}"));
        Assert.Equal(HttpStatusCode.BadRequest, await stranger.Client.StatusAsync("/api/tools/face-diagnosis?q=12"));
    }

    [Fact]
    public async Task TheDemosShoppersPayByFaceAtLiveTerminalsTypingTheirDigitsWhenAsked()
    {
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant);
        var sns = await factory.OnboardAsync(merchant, 1);
        using var stop = new CancellationTokenSource();
        var (agents, runs) = await factory.StartAgentsAsync(merchant, sns, stop.Token);
        var plain = await factory.NewMemberAsync();
        var twin = await factory.NewMemberAsync(lookAlike: true);
        var off = await factory.NewMemberAsync(facePay: false);
        var shoppers = new Touchpoint.Device.Shoppers(agents, [], factory.CreateClient(), TimeSpan.FromSeconds(30), TextWriter.Null);

        var paid = await shoppers.ShopAsync(agents[0], new Touchpoint.Device.Shopper(plain.UserId, "甲", plain.Mobile), default);
        Assert.Matches(@"^甲 paid \d+\.\d\d 元 at \S+ by face \(trade \d+\)$", paid);
        // A look-alike is asked for phone digits, and the shopper types them from the number it knows.
        var verified = await shoppers.ShopAsync(agents[0], new Touchpoint.Device.Shopper(twin.UserId, "乙", twin.Mobile), default);
        Assert.Matches(@"^乙 paid \d+\.\d\d 元 at \S+ by face, typing (4|11) phone digits \(trade \d+\)$", verified);
        // A refusal is said in the line, the loop's caller goes on.
        var refused = await shoppers.ShopAsync(agents[0], new Touchpoint.Device.Shopper(off.UserId, "丙", off.Mobile), default);
        Assert.DoesNotContain("paid", refused);
        Assert.Contains("丙", refused);

        var trades = await merchant.Client.GetAsync<TradePage>("/api/trades");
        Assert.Equal(2, trades.Total);
        Assert.All(trades.Items, t => Assert.Equal(sns[0], t.Sn));
        await stop.CancelAsync();
        await Task.WhenAll(runs);
    }
}

public sealed class SqlitePaymentTests(SqliteFactory f) : PaymentTests(f), IClassFixture<SqliteFactory>;
public sealed class PostgresPaymentTests(PostgresFactory f) : PaymentTests(f), IClassFixture<PostgresFactory>;
