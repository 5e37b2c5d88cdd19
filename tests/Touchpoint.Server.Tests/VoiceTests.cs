using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Broadcasts;
using Touchpoint.Core.Grants;
using Touchpoint.Server.Broadcasts;
using Touchpoint.Server.Grants;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>播报运营 voice messages on SQLite and PostgreSQL: set in the console and the gateway, played by a live agent, reported back.</summary>
public abstract class VoiceTests(TouchpointFactory factory)
{
    [Fact]
    public async Task ALiveTerminalSaysVoiceMessagesWithPaymentsAndOnScheduleAndReportsWhatItSaid()
    {
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant, "播报测试商户");
        var sns = await factory.OnboardAsync(merchant, 1);
        var sn = sns[0];
        var app = await merchant.NewMiniProgramAsync();
        var gateway = await factory.GatewayClientAsync(app);
        // With each payment: after 支付宝到账 comes the merchant's message — set while the terminal is off, taken when it connects.
        var welcome = await merchant.Client.PostAsync<VoiceAudioView>("/api/voice", new VoiceText("会员日全场九折"));
        Assert.Equal(1, (await merchant.Client.PostAsync<VoiceSent>($"/api/voice/{welcome.Id}/send", new VoiceSend(0, [sn], VoicePlayType.Trade, null, null, null))).Devices);
        using var stop = new CancellationTokenSource();
        var (agents, runs) = await factory.StartAgentsAsync(merchant, sns, stop.Token);
        var agent = agents[0];
        await DeviceChannelScenario.WaitUntilAsync(() => agent.Voices.Count == 1, TimeSpan.FromSeconds(10));
        var paid = await gateway.ExecuteAsync("alipay.trade.pay", new
        {
            out_trade_no = PaymentScenario.NewOrderNo(), scene = "bar_code", auth_code = await factory.PaymentCodeAsync((await factory.NewMemberAsync()).UserId),
            total_amount = "12.00", subject = "播报", terminal_id = sn,
        });
        var tradeNo = paid.Text("trade_no")!;
        await DeviceChannelScenario.WaitUntilAsync(() => agent.VoiceLog.Count(p => p.TradeNo == tradeNo) == 2, TimeSpan.FromSeconds(10));
        Assert.Equal(["支付宝到账 12 元", "会员日全场九折"], agent.VoiceLog.Where(p => p.TradeNo == tradeNo).Select(p => p.Text));
        var answered = await PollAsync(() => gateway.ExecuteAsync("alipay.commerce.iot.device.broadcast.query", new { biz_tid = sn, trade_id = tradeNo }),
            a => a.Text("result") == "true");
        Assert.NotNull(answered.Text("broadcast_time"));

        // On a schedule, through the gateway: due at once (its start has passed), then every hour, never catching up.
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        var created = await gateway.ExecuteAsync("alipay.commerce.iot.device.audio.create", new { text = "下午茶时间到了" });
        Assert.Equal("10000", created.Code);
        var sent = await gateway.ExecuteAsync("alipay.commerce.iot.device.audio.send", new
        {
            biz_tid = sn, audio_id = created.Text("audio_id"), play_type = "CUSTOM_AUDIO",
            audio_rule = System.Text.Json.JsonSerializer.Serialize(new { start_time = local.AddSeconds(-30).ToString("yyyy-MM-dd HH:mm:ss"), interval = 3600, status = "OPEN" }),
        });
        Assert.Equal("10000", sent.Code);
        await DeviceChannelScenario.WaitUntilAsync(() => agent.VoiceLog.Any(p => p.Kind == "custom"), TimeSpan.FromSeconds(20));
        var listed = await gateway.ExecuteAsync("alipay.commerce.iot.device.audio.query", new { biz_tid = sn });
        Assert.Equal(2, listed.Node.GetProperty("audio_list").GetArrayLength());

        // A payment taken elsewhere, announced on the terminal; broadcast.query answers from the terminal's report.
        Assert.Equal("10000", (await gateway.ExecuteAsync("alipay.commerce.iot.device.tradevoice.send",
            new { biz_tid = sn, amount = "8.80", trade_id = "EXT-8801", out_order_no = "O-8801", trade_type = "OTHER" })).Code);
        await PollAsync(() => gateway.ExecuteAsync("alipay.commerce.iot.device.broadcast.query", new { biz_tid = sn, trade_id = "EXT-8801" }), a => a.Text("result") == "true");
        Assert.Contains("到账 8.8 元", agent.Announcements);
        Assert.Equal("false", (await gateway.ExecuteAsync("alipay.commerce.iot.device.broadcast.query", new { biz_tid = sn, trade_id = "NEVER" })).Text("result"));

        var plays = await merchant.Client.GetAsync<List<VoicePlayView>>($"/api/devices/{sn}/voice-plays");
        Assert.Contains(plays, p => p.KindName == "定时播报" && p.Text == "下午茶时间到了");
        Assert.Contains(plays, p => p.KindName == "随收款播报" && p.TradeRef == tradeNo);

        // Deleted: the terminal stops.
        Assert.Equal("10000", (await gateway.ExecuteAsync("alipay.commerce.iot.device.audio.delete", new { audio_id = created.Text("audio_id") })).Code);
        await DeviceChannelScenario.WaitUntilAsync(() => agent.Voices.Count == 1, TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await Task.WhenAll(runs);
    }

    [Fact]
    public async Task VoiceMessagesNeedBroadcastOperationsOnEveryDeviceAndSaneSchedules()
    {
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant);
        var sns = await factory.OnboardAsync(merchant, 2);
        var sp = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        await merchant.Client.PostAsync<GrantSummary>("/api/grants", new NewGrant(null, sp.Login, [sns[0]], GrantPermissions.Broadcast));
        await merchant.Client.PostAsync<GrantSummary>("/api/grants", new NewGrant(null, sp.Login, [sns[1]], GrantPermissions.Poster));
        var mine = await merchant.Client.PostAsync<VoiceAudioView>("/api/voice", new VoiceText("欢迎光临"));
        async Task<string> Refused(HttpClient client, long id, VoiceSend body, HttpStatusCode status) =>
            await (await client.PostAsync($"/api/voice/{id}/send", System.Net.Http.Json.JsonContent.Create(body, options: ApiClient.Json))).ProblemAsync(status);

        Assert.Equal("请填写播报文字", await (await merchant.Client.PostAsync("/api/voice", System.Net.Http.Json.JsonContent.Create(new VoiceText(" "), options: ApiClient.Json))).ProblemAsync(HttpStatusCode.BadRequest));
        Assert.Equal("播报间隔不能短于 1 分钟", await Refused(merchant.Client, mine.Id, new VoiceSend(0, [sns[0]], VoicePlayType.Custom, DateTime.Today, null, 30), HttpStatusCode.BadRequest));
        Assert.Equal("结束时间必须晚于开始时间", await Refused(merchant.Client, mine.Id, new VoiceSend(0, [sns[0]], VoicePlayType.Custom, DateTime.Today, DateTime.Today, 600), HttpStatusCode.BadRequest));
        var theirs = await sp.Client.PostAsync<VoiceAudioView>("/api/voice", new VoiceText("服务商的播报"));
        // The provider: 播报运营 on the first device only; one device without it refuses the whole request, naming it.
        Assert.Contains(sns[1], await Refused(sp.Client, theirs.Id, new VoiceSend(0, sns, VoicePlayType.Trade, null, null, null), HttpStatusCode.Forbidden));
        Assert.Equal(1, (await sp.Client.PostAsync<VoiceSent>($"/api/voice/{theirs.Id}/send", new VoiceSend(0, [sns[0]], VoicePlayType.Trade, null, null, null))).Devices);
        // Another account's message does not exist for the caller.
        Assert.Contains("不存在", await Refused(sp.Client, mine.Id, new VoiceSend(0, [sns[0]], VoicePlayType.Trade, null, null, null), HttpStatusCode.NotFound));
        Assert.Single(await sp.Client.GetAsync<List<VoiceAudioView>>("/api/voice"));
    }

    [Fact]
    public async Task AGranteesMessageCarriesItsGrantsEndFollowsARenewalAndLeavesTheLiveTerminalTheMomentTheGrantIsRevoked()
    {
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant);
        var sn = (await factory.OnboardAsync(merchant, 1))[0];
        var sp = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        var lastDay = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(3);
        var grant = await merchant.Client.PostAsync<GrantSummary>("/api/grants", new NewGrant(null, sp.Login, [sn], GrantPermissions.Broadcast, lastDay));
        var mine = await merchant.Client.PostAsync<VoiceAudioView>("/api/voice", new VoiceText("店主的播报"));
        var theirs = await sp.Client.PostAsync<VoiceAudioView>("/api/voice", new VoiceText("服务商的播报"));
        await merchant.Client.PostAsync<VoiceSent>($"/api/voice/{mine.Id}/send", new VoiceSend(0, [sn], VoicePlayType.Trade, null, null, null));
        await sp.Client.PostAsync<VoiceSent>($"/api/voice/{theirs.Id}/send", new VoiceSend(0, [sn], VoicePlayType.Trade, null, null, null));
        using var stop = new CancellationTokenSource();
        var (agents, runs) = await factory.StartAgentsAsync(merchant, [sn], stop.Token);
        var agent = agents[0];
        await DeviceChannelScenario.WaitUntilAsync(() => agent.Voices.Count == 2, TimeSpan.FromSeconds(10));

        // The provider's message says when its grant ends, so the terminal stops it then, online or not; the owner's never ends.
        Assert.Null(agent.Voices.Single(v => v.AudioId == mine.Id).Until);
        var until = agent.Voices.Single(v => v.AudioId == theirs.Id).Until;
        Assert.Equal(grant.ExpiresAtUtc, until?.UtcDateTime);
        Assert.False(agent.Voices.Single(v => v.AudioId == theirs.Id).LiveAt(until!.Value));

        // Renewed by a second, longer grant: the terminal is given the new end at once.
        var connects = agent.Connects;
        var renewal = await merchant.Client.PostAsync<GrantSummary>("/api/grants", new NewGrant(null, sp.Login, [sn], GrantPermissions.Broadcast, lastDay.AddDays(30)));
        await DeviceChannelScenario.WaitUntilAsync(() => agent.Voices.SingleOrDefault(v => v.AudioId == theirs.Id)?.Until?.UtcDateTime == renewal.ExpiresAtUtc, TimeSpan.FromSeconds(5));
        // Revoking the first leaves the message under the second; revoking the second takes it off now, on the same connection.
        await merchant.Client.PostAsync<GrantSummary>($"/api/grants/{grant.Id}/revoke", new { });
        await Task.Delay(500);
        Assert.Equal(2, agent.Voices.Count);
        await merchant.Client.PostAsync<GrantSummary>($"/api/grants/{renewal.Id}/revoke", new { });
        await DeviceChannelScenario.WaitUntilAsync(() => agent.Voices.Count == 1, TimeSpan.FromSeconds(5));
        Assert.Equal(mine.Id, Assert.Single(agent.Voices).AudioId);
        Assert.Equal(connects, agent.Connects);
        await stop.CancelAsync();
        await Task.WhenAll(runs);
    }

    [Fact]
    public async Task PlaysOlderThanTheRetentionAreSweptAndRecentOnesKept()
    {
        var merchant = await factory.NewAccountAsync(AccountRole.Merchant);
        var sn = (await factory.OnboardAsync(merchant, 1))[0];
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync())
        {
            var device = await db.Devices.Where(d => d.Sn == sn).Select(d => d.Id).SingleAsync();
            db.VoicePlays.AddRange(
                new VoicePlay { DeviceId = device, Text = "很久以前", Kind = "announcement", PlayedAtUtc = DateTime.UtcNow.AddDays(-91), ReportedAtUtc = DateTime.UtcNow.AddDays(-91) },
                new VoicePlay { DeviceId = device, Text = "上个月", Kind = "announcement", PlayedAtUtc = DateTime.UtcNow.AddDays(-30), ReportedAtUtc = DateTime.UtcNow.AddDays(-30) });
            await db.SaveChangesAsync();
        }
        Assert.True(await factory.Services.GetRequiredService<VoicePlaySweeper>().SweepAsync(default) >= 1);
        Assert.Equal(["上个月"], (await merchant.Client.GetAsync<List<VoicePlayView>>($"/api/devices/{sn}/voice-plays")).Select(p => p.Text));
    }

    private static async Task<Touchpoint.Sdk.OpenApiResponse> PollAsync(Func<Task<Touchpoint.Sdk.OpenApiResponse>> call, Func<Touchpoint.Sdk.OpenApiResponse, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var answer = await call();
            if (done(answer))
            {
                return answer;
            }
            Assert.True(DateTime.UtcNow < deadline, $"never: {answer.RawBody}");
            await Task.Delay(200);
        }
    }
}

public sealed class SqliteVoiceTests(SqliteFactory f) : VoiceTests(f), IClassFixture<SqliteFactory>;
public sealed class PostgresVoiceTests(PostgresFactory f) : VoiceTests(f), IClassFixture<PostgresFactory>;
