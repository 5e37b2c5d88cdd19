using System.Net;
using System.Net.Http.Headers;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Grants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Server.Grants;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Posters;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>Electronic posters on live agents (R17–R20), on SQLite and PostgreSQL.</summary>
public abstract class PosterTests(TouchpointFactory factory)
{
    [Fact]
    public async Task ThreePostersRotateTenSecondsApartOnALiveAgentAndAFourthIsRefusedNamingTheHolders()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant, "杭州海报测试商户");
        var sns = await factory.OnboardAsync(owner, 1);
        using var stop = new CancellationTokenSource();
        var (agents, runs) = await factory.StartAgentsAsync(owner, sns, stop.Token);
        var agent = agents[0];
        await owner.AdminModeAsync(sns[0], true);
        var posters = new List<PosterView>();
        for (var i = 1; i <= 4; i++)
        {
            posters.Add(await owner.NewPosterAsync($"双十二海报{i}"));
        }
        var later = DateTime.Today.AddYears(1);
        await owner.PlaceOkAsync(posters[0].Id, sns, order: 1);
        await owner.PlaceOkAsync(posters[1].Id, sns, order: 2);
        await owner.PlaceOkAsync(posters[2].Id, sns, end: later, order: 3);

        var screen = await owner.Client.WaitSyncedAsync(sns[0], s => s.ReportedPosterId is not null);
        Assert.Equal(["双十二海报1", "双十二海报2", "双十二海报3"], screen.Intended!.Cycle);
        Assert.Empty(screen.Differences);
        Assert.Equal(3, screen.Placements.Count);

        // The agent's own reports, once it runs the final schedule: each poster in turn, on the ten-second grid.
        var synced = DateTimeOffset.UtcNow;
        await DeviceChannelScenario.WaitUntilAsync(() => agent.AirLog.Count(e => e.At > synced && e.PosterId is not null) >= 4, TimeSpan.FromSeconds(50));
        var log = agent.AirLog.Where(e => e.At > synced && e.PosterId is not null).ToList();
        // Each change falls in the next ten-second step of real time. How late in its step the agent's timer wakes is
        // the machine's load, not the rule (a busy CI host has woken it 1.5 s late), so that gets a loose bound.
        var slots = log.Select(e => e.At.ToUnixTimeMilliseconds() / 10_000).ToList();
        Assert.All(slots.Zip(slots.Skip(1), (a, b) => b - a), step => Assert.Equal(1, step));
        Assert.All(log, e => Assert.InRange(e.At.ToUnixTimeMilliseconds() % 10_000, 0, 4_000));
        Assert.Equal(3, log.Take(3).Select(e => e.PosterId).Distinct().Count());
        Assert.Equal(log[0].PosterId, log[3].PosterId);

        var check = await owner.Client.PostAsync<PlacementCheck>("/api/posters/placements/check", new PlacementRequest(posters[3].Id, sns, null, null, null));
        Assert.False(check.Fits);
        var conflict = Assert.Single(check.Conflicts);
        Assert.Equal(sns[0], conflict.Sn);
        Assert.Equal(["双十二海报1", "双十二海报2", "双十二海报3"], conflict.Holders.Select(h => h.PosterName));
        Assert.All(conflict.Holders, h => Assert.Equal("杭州海报测试商户", h.PlacedBy));
        var refused = await owner.Client.PlaceAsync(posters[3].Id, sns);
        var message = await refused.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("双十二海报1", message);
        Assert.Contains(sns[0], message);

        // A window that does not overlap shares a slot: the fourth takes the third's once the third ends.
        await owner.PlaceOkAsync(posters[3].Id, sns, later, later.AddDays(1));
        Assert.Equal(4, (await owner.Client.GetAsync<List<PlacementView>>($"/api/devices/{sns[0]}/posters")).Count);
        await stop.CancelAsync();
        await Task.WhenAll(runs);
    }

    [Fact]
    public async Task UploadsAreCheckedByTheirBytes()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        Assert.Contains("PNG、JPEG 或 WebP", await (await owner.Client.UploadPosterAsync("假图片", "not an image at all"u8.ToArray())).ProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("200–4096", await (await owner.Client.UploadPosterAsync("太小", TestImages.Png(64))).ProblemAsync(HttpStatusCode.BadRequest));
        var png = TestImages.Png(400);
        Assert.Contains("损坏", await (await owner.Client.UploadPosterAsync("截断", png[..(png.Length / 2)])).ProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("名称", await (await owner.Client.UploadPosterAsync(" ", png)).ProblemAsync(HttpStatusCode.BadRequest));
        var maker = await factory.NewAccountAsync(AccountRole.Manufacturer);
        await (await maker.Client.UploadPosterAsync("厂商海报", png)).ProblemAsync(HttpStatusCode.Forbidden);

        // A PNG named .jpg is a PNG; the thumbnail is a JPEG 240 px wide.
        var poster = await (await owner.Client.UploadPosterAsync("门店海报", png, "poster.jpg")).ReadAsync<PosterView>();
        Assert.Equal(("image/png", 400, 400), (poster.ContentType, poster.Width, poster.Height));
        var thumb = await owner.Client.GetAsync(poster.ThumbnailUrl);
        Assert.Equal("image/jpeg", thumb.Content.Headers.ContentType?.MediaType);
        Assert.Equal(240, Touchpoint.Server.Tests.Infrastructure.TestImages.JpegWidth(await thumb.Content.ReadAsByteArrayAsync()));
        var other = await factory.NewAccountAsync(AccountRole.Merchant);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync(poster.ThumbnailUrl)).StatusCode);
        Assert.Single(await owner.Client.GetAsync<List<PosterView>>("/api/posters"));
        Assert.Empty(await other.Client.GetAsync<List<PosterView>>("/api/posters"));
    }

    [Fact]
    public async Task AnImageAddressServesItsImageWholeOrByRangeFromMemoryAndNothingElse()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var png = TestImages.Png(300);
        var poster = await (await owner.Client.UploadPosterAsync("地址海报", png)).ReadAsync<PosterView>();
        string sha;
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync())
        {
            sha = await db.Posters.Where(p => p.Id == poster.Id).Select(p => p.ImageSha256).SingleAsync();
        }
        var address = new Uri(factory.Services.GetRequiredService<PosterTokens>().ContentUrl(7, sha)).PathAndQuery;
        var device = factory.CreateClient();
        for (var i = 0; i < 2; i++) // the second from the cache
        {
            var whole = await device.GetAsync(address);
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal("image/png", whole.Content.Headers.ContentType?.MediaType);
            Assert.Equal(png, await whole.Content.ReadAsByteArrayAsync());
            Assert.Equal($"\"{sha}\"", whole.Headers.ETag?.Tag);
        }
        // A resumed download asks for the rest.
        using var rest = new HttpRequestMessage(HttpMethod.Get, address);
        rest.Headers.Range = new RangeHeaderValue(100, null);
        var partial = await device.SendAsync(rest);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(png[100..], await partial.Content.ReadAsByteArrayAsync());
        // The address is for that image only, and only when signed.
        var other = new string('a', 64);
        Assert.Equal(HttpStatusCode.NotFound, (await device.GetAsync(address.Replace(sha, other))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await device.GetAsync(address[..address.IndexOf('?')] + "?token=forged")).StatusCode);
    }

    [Fact]
    public async Task ClerksPlaceFromTheDevicesQrCodeUntilAdminModeIsOnAndConsolePlacementOnlyAfter()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant, "西湖便利店");
        var sns = await factory.OnboardAsync(owner, 1);
        using var stop = new CancellationTokenSource();
        var (agents, runs) = await factory.StartAgentsAsync(owner, sns, stop.Token);
        var agent = agents[0];
        var poster = await owner.NewPosterAsync("店长推荐");

        // Off by default: the console is refused, saying why; the screen shows the clerk's QR code.
        var refused = await owner.Client.PlaceAsync(poster.Id, sns);
        Assert.Contains("未开启管理员模式", await refused.ProblemAsync(HttpStatusCode.Forbidden));
        await owner.Client.WaitSyncedAsync(sns[0]);
        await DeviceChannelScenario.WaitUntilAsync(() => agent.ClerkUrl is not null, TimeSpan.FromSeconds(10));
        var url = new Uri(agent.ClerkUrl!);
        var code = System.Web.HttpUtility.ParseQueryString(url.Query)["code"]!;
        var anonymous = factory.CreateClient();
        var page = await anonymous.GetAsync<ClerkView>($"/api/clerk/{sns[0]}?code={Uri.EscapeDataString(code)}");
        Assert.Equal(("西湖便利店", false, null), (page.Merchant, page.AdminMode, page.Refusal));

        var placed = await ClerkPlaceAsync(anonymous, sns[0], code, "今日特价");
        var view = await placed.ReadAsync<PlacementView>();
        Assert.Equal(("店员 小王", "店员扫码投放"), (view.PlacedBy, view.PathName));
        // The code was good for one placement; the device now shows a new one.
        Assert.Contains("二维码已失效", await (await ClerkPlaceAsync(anonymous, sns[0], code, "再来一张")).ProblemAsync(HttpStatusCode.Forbidden));
        await owner.Client.WaitSyncedAsync(sns[0], s => s.ReportedPosterId == view.PosterId);
        Assert.NotEqual(url.ToString(), agent.ClerkUrl);
        var fresh = System.Web.HttpUtility.ParseQueryString(new Uri(agent.ClerkUrl!).Query)["code"]!;
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/clerk/{sns[0]}?code={Uri.EscapeDataString(fresh)}x")).StatusCode);

        // Admin mode on: the console places, the clerk is refused with the reason.
        var mode = await owner.AdminModeAsync(sns[0], true);
        Assert.Equal(1, mode.Changed);
        await owner.PlaceOkAsync(poster.Id, sns);
        var clerkRefused = await ClerkPlaceAsync(anonymous, sns[0], fresh, "又一张");
        Assert.Contains("已开启管理员模式", await clerkRefused.ProblemAsync(HttpStatusCode.Forbidden));
        var synced = await owner.Client.WaitSyncedAsync(sns[0]);
        Assert.True(synced.AdminMode);
        Assert.Null(agent.ClerkUrl);

        // Turning it off says what happens to the console's posters.
        var notice = await owner.Client.GetAsync<PosterModeView>($"/api/devices/{sns[0]}/poster-mode");
        Assert.Equal(1, notice.ConsolePlaced);
        Assert.Contains("管理员已投放的 1 张海报继续按原时段播放", notice.TurningOffNotice);
        await stop.CancelAsync();
        await Task.WhenAll(runs);
    }

    [Fact]
    public async Task AGranteeWithPosterPlacementPlacesButOnlyTheOwnerSwitchesAdminMode()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sns = await factory.OnboardAsync(owner, 2);
        var sp = await factory.NewAccountAsync(AccountRole.ServiceProvider, "云点服务商");
        var other = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        await owner.Client.PostAsync<GrantSummary>("/api/grants", new NewGrant(null, sp.Login, [sns[0]], GrantPermissions.Poster));
        await owner.Client.PostAsync<GrantSummary>("/api/grants", new NewGrant(null, other.Login, [sns[0]], GrantPermissions.Broadcast));
        await owner.AdminModeAsync(sns[0], true);
        await owner.AdminModeAsync(sns[1], true);

        var spPoster = await sp.NewPosterAsync("服务商海报");
        Assert.Equal(1, (await sp.PlaceOkAsync(spPoster.Id, [sns[0]])).Devices);
        // Not granted the second device: refused naming it, nothing placed on the first either.
        var partly = await sp.Client.PlaceAsync(spPoster.Id, [sns[0], sns[1]], DateTime.Today.AddYears(2));
        Assert.Contains(sns[1], await partly.ProblemAsync(HttpStatusCode.Forbidden));
        Assert.Single(await owner.Client.GetAsync<List<PlacementView>>($"/api/devices/{sns[0]}/posters"));
        // Another permission is not 海报投放.
        var otherPoster = await other.NewPosterAsync("别家海报");
        await (await other.Client.PlaceAsync(otherPoster.Id, [sns[0]])).ProblemAsync(HttpStatusCode.Forbidden);
        // Someone else's poster is not in the grantee's library.
        await (await sp.Client.PlaceAsync(otherPoster.Id, [sns[0]])).ProblemAsync(HttpStatusCode.NotFound);
        var switchRefused = await sp.Client.PutAsync($"/api/devices/{sns[0]}/poster-mode", System.Net.Http.Json.JsonContent.Create(new PosterModeEdit(false)));
        Assert.Contains("所有者", await switchRefused.ProblemAsync(HttpStatusCode.Forbidden));

        // The troubleshooting tool names the placer, the route and a masked contact; the slot's history keeps the removal.
        var placement = Assert.Single(await owner.Client.GetAsync<List<PlacementView>>($"/api/devices/{sns[0]}/posters"));
        var removed = await owner.Client.DeleteAsync($"/api/posters/placements/{placement.Id}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        var again = await owner.Client.DeleteAsync($"/api/posters/placements/{placement.Id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        await sp.PlaceOkAsync(spPoster.Id, [sns[0]]);
        var tool = await owner.Client.GetAsync<PosterTroubleshootView>($"/api/tools/posters?sn={sns[0]}");
        var placer = Assert.Single(tool.Placements);
        Assert.Equal(("云点服务商", "控制台投放", "服务商海报"), (placer.PlacedBy, placer.PathName, placer.PosterName));
        Assert.Matches(@"^1\d\d\*{4}\d{4}$", placer.Contact ?? "");
        Assert.Equal(["投放", "撤下", "投放"], tool.History.Select(h => h.Change).Reverse());
        Assert.Equal(owner.Name, tool.History[1].Actor);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.Client.GetAsync($"/api/tools/posters?sn={sns[1]}")).StatusCode);
    }

    [Fact]
    public async Task TwoPlacementsRacingForTheLastSlotCannotBothWin()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sns = await factory.OnboardAsync(owner, 1);
        await owner.AdminModeAsync(sns[0], true);
        var posters = new List<PosterView>();
        for (var i = 0; i < 6; i++)
        {
            posters.Add(await owner.NewPosterAsync($"抢位海报{i}"));
        }
        await owner.PlaceOkAsync(posters[0].Id, sns);
        await owner.PlaceOkAsync(posters[1].Id, sns);
        var racing = await Task.WhenAll(posters.Skip(2).Select(p => owner.Client.PlaceAsync(p.Id, sns)));
        Assert.Equal(1, racing.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(racing.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(3, (await owner.Client.GetAsync<List<PlacementView>>($"/api/devices/{sns[0]}/posters")).Count);
    }

    [Fact]
    public async Task AnOfflineDeviceIsFlaggedAndCatchesUpWhenItConnects()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sns = await factory.OnboardAsync(owner, 1);
        await owner.AdminModeAsync(sns[0], true);
        var poster = await owner.NewPosterAsync("离线补发");
        await owner.PlaceOkAsync(poster.Id, sns);
        var before = await owner.Client.GetAsync<ScreenView>($"/api/devices/{sns[0]}/screen");
        Assert.Contains(before.Differences, d => d.Contains("从未上线") || d.Contains("离线"));
        Assert.Equal(poster.Id, before.Intended!.PosterId);

        using var stop = new CancellationTokenSource();
        var (agents, runs) = await factory.StartAgentsAsync(owner, sns, stop.Token);
        var after = await owner.Client.WaitSyncedAsync(sns[0], s => s.ReportedPosterId == poster.Id);
        Assert.Empty(after.Differences);
        Assert.Equal(poster.Id, agents[0].OnAirPosterId);
        // The screen wall shows it from the device's report; another merchant's wall does not list the device.
        var tile = Assert.Single(await owner.Client.GetAsync<List<WallTile>>($"/api/posters/wall?sn={sns[0]}"));
        Assert.Equal((poster.Id, "离线补发", true, true), (tile.PosterId, tile.PosterName, tile.Synced, tile.Online));
        var stranger = await factory.NewAccountAsync(AccountRole.Merchant);
        Assert.Empty(await stranger.Client.GetAsync<List<WallTile>>($"/api/posters/wall?sn={sns[0]}"));
        // A device downloads only what its schedule names, by its signed address.
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync($"/api/posters/content/{new string('a', 64)}?token=x")).StatusCode);
        await stop.CancelAsync();
        await Task.WhenAll(runs);
    }

    [Fact]
    public async Task WindowsStayDeviceWallClockAndAnEndedWindowHoldsNoSlot()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sns = await factory.OnboardAsync(owner, 1);
        await owner.AdminModeAsync(sns[0], true);
        var posters = new List<PosterView>();
        for (var i = 0; i < 4; i++)
        {
            posters.Add(await owner.NewPosterAsync($"限时海报{i}"));
        }
        // The device stands in China time (no zone reported): three posters that end a few seconds from now, there.
        var chinaNow = DateTime.UtcNow.AddHours(8);
        var soon = new DateTime(chinaNow.Ticks - chinaNow.Ticks % TimeSpan.TicksPerSecond).AddSeconds(4);
        for (var i = 0; i < 3; i++)
        {
            await owner.PlaceOkAsync(posters[i].Id, sns, end: soon);
        }
        await (await owner.Client.PlaceAsync(posters[3].Id, sns)).ProblemAsync(HttpStatusCode.Conflict);
        // Read back as written: wall-clock, no zone.
        var raw = await owner.Client.GetStringAsync($"/api/devices/{sns[0]}/posters");
        Assert.Contains($"\"end\":\"{soon:yyyy-MM-ddTHH:mm:ss}\"", raw);
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(1, (await owner.PlaceOkAsync(posters[3].Id, sns)).Devices);
    }

    [Fact]
    public async Task ACentralPosterGoesOnTheOfficialSlotsTheMerchantCannotTakeItDownAndSeesTheWithdrawalReason()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sns = await factory.OnboardAsync(owner, 2);
        var model = "活动型号-" + Guid.NewGuid().ToString("N")[..8];
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync())
        {
            await db.Devices.Where(d => d.Sn == sns[0]).ExecuteUpdateAsync(u => u.SetProperty(d => d.Model, model));
        }
        var op = new TestAccount(0, "admin", "平台运营", await factory.OperatorAsync());
        var official = await op.NewPosterAsync("平台双十二官方海报");
        Assert.Equal("官方海报", official.Kind);
        // Only the operator runs campaigns; its poster is not placeable through the merchant route either.
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Client.PostAsync("/api/posters/campaigns",
            System.Net.Http.Json.JsonContent.Create(new NewCampaign("商家活动", official.Id, null, null, model, null, null), options: ApiClient.Json))).StatusCode);
        var campaign = await op.Client.PostAsync<CampaignView>("/api/posters/campaigns", new NewCampaign("双十二", official.Id, null, null, model, null, null));
        Assert.Equal((1, 0), (campaign.Placed, campaign.SkippedFull));

        var placement = Assert.Single(await owner.Client.GetAsync<List<PlacementView>>($"/api/devices/{sns[0]}/posters"));
        Assert.Equal(("官方海报", "平台中心化投放"), (placement.Kind, placement.PathName));
        Assert.Empty(await owner.Client.GetAsync<List<PlacementView>>($"/api/devices/{sns[1]}/posters"));
        Assert.Contains("商家不能撤下", await (await owner.Client.DeleteAsync($"/api/posters/placements/{placement.Id}")).ProblemAsync(HttpStatusCode.Forbidden));
        // The merchant's own slots are not the official ones: three merchant posters still fit beside it.
        await owner.AdminModeAsync(sns[0], true);
        for (var i = 0; i < 3; i++)
        {
            await owner.PlaceOkAsync((await owner.NewPosterAsync($"商家海报{i}")).Id, [sns[0]]);
        }

        Assert.Contains("撤回原因", await (await op.Client.PostAsync($"/api/posters/campaigns/{campaign.Id}/withdraw",
            System.Net.Http.Json.JsonContent.Create(new WithdrawCampaign(" "), options: ApiClient.Json))).ProblemAsync(HttpStatusCode.BadRequest));
        var withdrawn = await op.Client.PostAsync<CampaignView>($"/api/posters/campaigns/{campaign.Id}/withdraw", new WithdrawCampaign("素材授权到期"));
        Assert.NotNull(withdrawn.WithdrawnAtUtc);
        var screen = await owner.Client.GetAsync<ScreenView>($"/api/devices/{sns[0]}/screen");
        var told = Assert.Single(screen.Withdrawn);
        Assert.Equal(("平台双十二官方海报", "素材授权到期"), (told.PosterName, told.Reason));
        Assert.Equal(3, screen.Placements.Count);
        var tool = await owner.Client.GetAsync<PosterTroubleshootView>($"/api/tools/posters?sn={sns[0]}");
        Assert.Contains(tool.History, h => h.Change == "平台撤回" && h.Detail!.Contains("素材授权到期"));
        Assert.Equal(HttpStatusCode.Conflict, (await op.Client.PostAsync($"/api/posters/campaigns/{campaign.Id}/withdraw",
            System.Net.Http.Json.JsonContent.Create(new WithdrawCampaign("再撤一次"), options: ApiClient.Json))).StatusCode);
    }

    [Fact]
    public async Task AClerkAccountTheOwnerMadePlacesOnAnyOfItsDevicesOutsideAdminModeAndLosesItsSessionWhenResetOrDisabled()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant, "湖滨便利店");
        var sns = await factory.OnboardAsync(owner, 2);
        var other = await factory.NewAccountAsync(AccountRole.Merchant);
        var othersSn = (await factory.OnboardAsync(other, 1))[0];
        var provider = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        var phone = NewMobile();

        // Only a merchant has clerks; every bad field is said in Chinese and nothing is made.
        Assert.Contains("由商家", await (await provider.Client.PostAsync("/api/clerks", Json(new ClerkEdit("小李", phone, "Clerk#2026")))).ProblemAsync(HttpStatusCode.Forbidden));
        Assert.Contains("11 位手机号", await (await owner.Client.PostAsync("/api/clerks", Json(new ClerkEdit("小李", "1234", "Clerk#2026")))).ProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("至少 8 位", await (await owner.Client.PostAsync("/api/clerks", Json(new ClerkEdit("小李", phone, "short")))).ProblemAsync(HttpStatusCode.BadRequest));
        Assert.Contains("店员姓名", await (await owner.Client.PostAsync("/api/clerks", Json(new ClerkEdit(" ", phone, "Clerk#2026")))).ProblemAsync(HttpStatusCode.BadRequest));
        var made = await owner.Client.PostAsync<ClerkAccountView>("/api/clerks", new ClerkEdit("小李", phone, "Clerk#2026"));
        Assert.Contains("已被使用", await (await other.Client.PostAsync("/api/clerks", Json(new ClerkEdit("别家", phone, "Clerk#2026")))).ProblemAsync(HttpStatusCode.Conflict));
        Assert.Empty(await other.Client.GetAsync<List<ClerkAccountView>>("/api/clerks"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.PutAsync($"/api/clerks/{made.Id}", Json(new ClerkChange(Disabled: true)))).StatusCode);

        var anonymous = factory.CreateClient();
        Assert.Contains("手机号或密码错误", await (await anonymous.PostAsync("/api/clerk-sessions", Json(new ClerkSignIn(phone, "wrong-pass")))).ProblemAsync(HttpStatusCode.BadRequest));
        var session = await anonymous.PostAsync<ClerkSession>("/api/clerk-sessions", new ClerkSignIn(phone, "Clerk#2026"));
        Assert.Equal(("小李", "湖滨便利店"), (session.Name, session.Merchant));
        var clerk = factory.CreateClient();
        clerk.DefaultRequestHeaders.Add("X-Clerk-Session", session.Token);

        // Signed in, no code is needed, and the merchant's library is there to pick from.
        var library = await owner.NewPosterAsync("会员日海报");
        var othersPoster = await other.NewPosterAsync("别家的海报");
        var page = await clerk.GetAsync<ClerkView>($"/api/clerk/{sns[0]}");
        Assert.Equal(("小李", false), (page.Clerk, page.AdminMode));
        Assert.Contains(page.Library!, p => p.Id == library.Id);
        Assert.DoesNotContain(page.Library!, p => p.Id == othersPoster.Id);
        var picked = await (await ClerkPickAsync(clerk, sns[0], library.Id)).ReadAsync<PlacementView>();
        Assert.Equal(("店员 小李（店员账号）", "店员扫码投放", library.Id), (picked.PlacedBy, picked.PathName, picked.PosterId));
        // The account is not spent: an upload to the second device, the name and phone taken from the account.
        var uploaded = await (await ClerkUploadAsync(clerk, sns[1], "今日特价")).ReadAsync<PlacementView>();
        Assert.Equal("店员 小李（店员账号）", uploaded.PlacedBy);
        var tool = await owner.Client.GetAsync<PosterTroubleshootView>($"/api/tools/posters?sn={sns[1]}");
        Assert.Equal(phone[..3] + "****" + phone[7..], Assert.Single(tool.Placements).Contact);

        // Refusals: another merchant's device or poster, the library without an account, admin mode.
        Assert.Contains("不是您所在商家的设备", await (await ClerkUploadAsync(clerk, othersSn, "越界")).ProblemAsync(HttpStatusCode.NotFound));
        Assert.Contains("不在本商家的海报库", await (await ClerkPickAsync(clerk, sns[1], othersPoster.Id)).ProblemAsync(HttpStatusCode.NotFound));
        Assert.Contains("需要店员账号登录", await (await ClerkPickAsync(anonymous, sns[1], library.Id, ClerkCode(sns[1]))).ProblemAsync(HttpStatusCode.Forbidden));
        // Another shop's device: the account does not reach it, but the code on that screen still works, as a code.
        var viaCode = await (await ClerkPlaceAsync(clerk, othersSn, ClerkCode(othersSn), "隔壁店海报")).ReadAsync<PlacementView>();
        Assert.Equal("店员 小王", viaCode.PlacedBy);
        await owner.AdminModeAsync(sns[0], true);
        Assert.Contains("已开启管理员模式", await (await ClerkUploadAsync(clerk, sns[0], "又一张")).ProblemAsync(HttpStatusCode.Forbidden));
        Assert.Equal(2, Assert.Single(await owner.Client.GetAsync<List<ClerkAccountView>>("/api/clerks")).Placements);

        // A reset password ends the session at once; so does disabling, and a disabled clerk is told so on sign-in.
        await owner.Client.PutAsync<ClerkAccountView>($"/api/clerks/{made.Id}", new ClerkChange(Password: "Clerk#2027"));
        Assert.Contains("登录已失效", await (await clerk.GetAsync($"/api/clerk/{sns[1]}")).ProblemAsync(HttpStatusCode.Forbidden));
        var again = await anonymous.PostAsync<ClerkSession>("/api/clerk-sessions", new ClerkSignIn(phone, "Clerk#2027"));
        clerk.DefaultRequestHeaders.Remove("X-Clerk-Session");
        clerk.DefaultRequestHeaders.Add("X-Clerk-Session", again.Token);
        Assert.Equal("小李", (await clerk.GetAsync<ClerkView>($"/api/clerk/{sns[1]}")).Clerk);
        var disabled = await owner.Client.PutAsync<ClerkAccountView>($"/api/clerks/{made.Id}", new ClerkChange(Disabled: true));
        Assert.True(disabled.Disabled);
        Assert.Contains("登录已失效", await (await ClerkUploadAsync(clerk, sns[1], "停用后")).ProblemAsync(HttpStatusCode.Forbidden));
        Assert.Contains("已被商家停用", await (await anonymous.PostAsync("/api/clerk-sessions", Json(new ClerkSignIn(phone, "Clerk#2027")))).ProblemAsync(HttpStatusCode.Forbidden));
        Assert.Equal(2, (await owner.Client.GetAsync<List<PlacementView>>($"/api/devices/{sns[1]}/posters")).Count + (await owner.Client.GetAsync<List<PlacementView>>($"/api/devices/{sns[0]}/posters")).Count);
        // Deleted, the number is free again; the placements stay on air.
        Assert.Equal(HttpStatusCode.NoContent, (await owner.Client.DeleteAsync($"/api/clerks/{made.Id}")).StatusCode);
        Assert.Equal(phone, (await other.Client.PostAsync<ClerkAccountView>("/api/clerks", new ClerkEdit("换店了", phone, "Clerk#2026"))).Phone);
        Assert.Single(await owner.Client.GetAsync<List<PlacementView>>($"/api/devices/{sns[1]}/posters"));

        string ClerkCode(string sn)
        {
            using var db = factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContext();
            var device = db.Devices.Single(d => d.Sn == sn);
            return factory.Services.GetRequiredService<PosterTokens>().ClerkToken(device.Id, device.PosterRevision);
        }
    }

    [Fact]
    public async Task DevicesArePickedByRegionTypeAndModelForPostersAndVoiceAlike()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sns = await factory.OnboardAsync(owner, 3);
        var model = "筛选型号-" + Guid.NewGuid().ToString("N")[..6];
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync())
        {
            await db.Devices.Where(d => d.Sn == sns[0]).ExecuteUpdateAsync(u => u.SetProperty(d => d.LastOnlineLocation, "浙江省杭州市西湖区").SetProperty(d => d.Model, model));
            await db.Devices.Where(d => d.Sn == sns[1]).ExecuteUpdateAsync(u => u.SetProperty(d => d.LastOnlineLocation, "浙江省宁波市").SetProperty(d => d.Model, model));
            await db.Devices.Where(d => d.Sn == sns[2]).ExecuteUpdateAsync(u => u.SetProperty(d => d.LastOnlineLocation, "浙江省杭州市滨江区"));
        }
        async Task<string[]> Posters(string query) => (await owner.Client.GetAsync<List<PlaceableDevice>>($"/api/posters/placeable?{query}")).Select(d => d.Sn).Order().ToArray();
        async Task<string[]> Voice(string query) => (await owner.Client.GetAsync<List<string>>($"/api/voice/devices?{query}")).Order().ToArray();
        Assert.Equal(new[] { sns[0], sns[2] }.Order(), await Posters("region=" + Uri.EscapeDataString("杭州")));
        Assert.Equal(new[] { sns[0], sns[1] }.Order(), await Posters("model=" + Uri.EscapeDataString(model)));
        Assert.Equal([sns[0]], await Voice($"region={Uri.EscapeDataString("杭州")}&model={Uri.EscapeDataString(model)}"));
        Touchpoint.Core.Devices.DeviceType type;
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync())
        {
            type = await db.Devices.Where(d => d.Sn == sns[0]).Select(d => d.Type).SingleAsync();
        }
        var otherType = Enum.GetValues<Touchpoint.Core.Devices.DeviceType>().First(t => t != type);
        Assert.Equal(new[] { sns[0], sns[1] }.Order(), await Voice($"model={Uri.EscapeDataString(model)}&type={type}"));
        Assert.Empty(await Posters($"model={Uri.EscapeDataString(model)}&type={otherType}"));
        Assert.Contains("设备类型不正确", await (await owner.Client.GetAsync("/api/voice/devices?type=Toaster")).ProblemAsync(HttpStatusCode.BadRequest));
        // The screen wall shows a group too.
        Assert.Equal(new[] { sns[0], sns[2] }.Order(),
            (await owner.Client.GetAsync<List<WallTile>>($"/api/posters/wall?region={Uri.EscapeDataString("杭州")}")).Select(t => t.Sn).Order());
        Assert.Equal("地区含“杭州”，类型 刷脸设备，型号 T2", new Touchpoint.Server.Devices.DeviceFilter("杭州", Touchpoint.Core.Devices.DeviceType.FacePay, " T2 ").Describe());
    }

    private static System.Net.Http.Json.JsonContent Json<T>(T body) => System.Net.Http.Json.JsonContent.Create(body, options: ApiClient.Json);

    private static string NewMobile() => "139" + Random.Shared.NextInt64(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    private static Task<HttpResponseMessage> ClerkPickAsync(HttpClient client, string sn, long posterId, string? code = null) =>
        client.PostAsync($"/api/clerk/{sn}/posters{(code is null ? "" : $"?code={Uri.EscapeDataString(code)}")}",
            new MultipartFormDataContent { { new StringContent(posterId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "posterId" } });

    /// <summary>A signed-in clerk's upload: no code, no name or phone (the account says who).</summary>
    private static Task<HttpResponseMessage> ClerkUploadAsync(HttpClient client, string sn, string name) =>
        client.PostAsync($"/api/clerk/{sn}/posters", ClerkForm(name));

    private static MultipartFormDataContent ClerkForm(string name, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent { { new StringContent(name), "name" } };
        foreach (var (field, value) in fields)
        {
            form.Add(new StringContent(value), field);
        }
        var file = new ByteArrayContent(TestImages.Png(320));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", "clerk.png");
        return form;
    }

    private static Task<HttpResponseMessage> ClerkPlaceAsync(HttpClient client, string sn, string code, string name) =>
        client.PostAsync($"/api/clerk/{sn}/posters?code={Uri.EscapeDataString(code)}", ClerkForm(name, ("clerkName", "小王"), ("clerkPhone", "13812345678")));
}

public sealed class SqlitePosterTests(SqliteFactory f) : PosterTests(f), IClassFixture<SqliteFactory>;
public sealed class PostgresPosterTests(PostgresFactory f) : PosterTests(f), IClassFixture<PostgresFactory>;
