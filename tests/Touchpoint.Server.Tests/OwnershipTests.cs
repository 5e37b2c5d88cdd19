using System.Net;
using System.Net.Http.Json;
using System.Text;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Ownership;
using Touchpoint.Server.Demo;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Ownership;
using Touchpoint.Server.Tests.Infrastructure;
using Touchpoint.Server.Tools;

namespace Touchpoint.Server.Tests;

/// <summary>R2 onboarding and R3 purchase, end to end through the API, on each storage provider.</summary>
public abstract class OwnershipTests(TouchpointFactory factory)
{
    [Fact]
    public async Task OnboardingGivesEachRowItsVerdictAndOwnershipMovesOnlyWhenTheOwnerAuthorizes()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var entryId = await factory.IssueOnboardingAsync(owner);
        var maker = await factory.LoginAsync(DemoAccounts.Manufacturer);
        var alreadyOwned = (await (await factory.LoginAsync(DemoAccounts.Merchant)).GetAsync<DevicePage>("/api/devices?pageSize=1")).Items[0].Sn;
        var (a, b) = (Scenario.NewSn(), Scenario.NewSn());

        var result = await maker.PostAsync<OnboardingSubmission>($"/api/onboarding/entries/{entryId}/devices", new[]
        {
            new SubmitDeviceRequest(a, "刷脸设备", "蜻蜓 F4", "11", null),
            new SubmitDeviceRequest(alreadyOwned, "刷脸设备", null, null, null),
            new SubmitDeviceRequest("bad sn!", "碰一下", null, null, null),
            new SubmitDeviceRequest(a, "刷脸设备", null, null, null),
            new SubmitDeviceRequest(b, "碰一下", null, null, "租赁"),
        });
        Assert.Equal((2, 3), (result.Accepted, result.Rejected));
        Assert.Equal(["该设备已有所有者", "SN 格式不正确：应为 8–32 位字母、数字或连字符", "本批次内 SN 重复"],
            result.Rows.Where(r => !r.Accepted).Select(r => r.Reason));

        // Submitted but not yet authorized: nobody owns them, and the lookup says so.
        Assert.Equal(0, (await owner.Client.GetAsync<DevicePage>("/api/devices")).Total);
        Assert.Equal(OwnerLookupStatus.Unbound, (await owner.Client.GetAsync<OwnerLookupResult>($"/api/tools/owner-lookup?sn={a}")).Status);

        await owner.Client.PostAsync<object>($"/api/onboarding/entries/{entryId}/decide", new DecideRequest(null, true));
        var mine = await owner.Client.GetAsync<DevicePage>("/api/devices");
        Assert.Equal(new[] { a, b }.Order(), mine.Items.Select(i => i.Sn).Order());
        Assert.All(mine.Items, d => Assert.NotNull(d.OwnershipUpdatedAtUtc));
        Assert.Equal(TransferType.Lease, mine.Items.Single(i => i.Sn == b).TransferType);

        var audit = await owner.Client.GetStringAsync($"/api/audit?sn={a}");
        Assert.Contains("OwnershipAuthorized", audit);
        Assert.DoesNotContain(a, await (await factory.LoginAsync(DemoAccounts.IndividualMerchant)).GetStringAsync("/api/audit?pageSize=100"));
    }

    [Fact]
    public async Task OnlyTheNamedManufacturerSubmitsAndOnlyTheTargetOwnerAuthorizes()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var entryId = await factory.IssueOnboardingAsync(owner);
        var stranger = await factory.NewAccountAsync(AccountRole.Manufacturer);
        var submit = await stranger.Client.PostAsJsonAsync($"/api/onboarding/entries/{entryId}/devices",
            new[] { new SubmitDeviceRequest(Scenario.NewSn(), "碰一下", null, null, null) });
        Assert.Equal("该进件入口不是发给您的", await submit.ProblemAsync(HttpStatusCode.Forbidden));

        var maker = await factory.LoginAsync(DemoAccounts.Manufacturer);
        await maker.PostAsync<OnboardingSubmission>($"/api/onboarding/entries/{entryId}/devices",
            new[] { new SubmitDeviceRequest(Scenario.NewSn(), "碰一下", null, null, null) });
        var shop = await factory.LoginAsync(DemoAccounts.IndividualMerchant);
        var decide = await shop.PostAsJsonAsync($"/api/onboarding/entries/{entryId}/decide", new DecideRequest(null, true));
        Assert.Equal("只有该进件入口指定的设备所有者可以授权", await decide.ProblemAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task MalformedCsvIsRejectedWholeAndLeavesNothingBehind()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var entryId = await factory.IssueOnboardingAsync(owner);
        var maker = await factory.LoginAsync(DemoAccounts.Manufacturer);
        var sn = Scenario.NewSn();
        var bad = await maker.PostAsync($"/api/onboarding/entries/{entryId}/csv",
            new StringContent($"型号,备注\n{sn},x\n", Encoding.UTF8, "text/csv"));
        Assert.Contains("CSV 表头缺少必填列", await bad.ProblemAsync(HttpStatusCode.BadRequest));
        Assert.Empty(await maker.GetAsync<List<OnboardingItemRow>>($"/api/onboarding/entries/{entryId}/items"));

        var good = await maker.PostAsync($"/api/onboarding/entries/{entryId}/csv",
            new StringContent($"\uFEFFSN,设备类型,型号\n{sn},收银机,商米 T2\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(1, (await good.ReadAsync<OnboardingSubmission>()).Accepted);
        var items = await owner.Client.GetAsync<List<OnboardingItemRow>>($"/api/onboarding/entries/{entryId}/items");
        Assert.Equal((sn, DeviceType.CashRegister, OnboardingItemStatus.PendingAuthorization), (items.Single().Sn, items.Single().Type, items.Single().Status));
    }

    [Fact]
    public async Task PurchaseGoesOrderShipReceiveAndABadShipmentChangesNothing()
    {
        var op = await factory.OperatorAsync();
        var buyer = await factory.NewAccountAsync(AccountRole.Merchant);
        var entry = await op.PostAsync<PurchaseEntrySummary>("/api/purchase/entries", new IssuePurchaseRequest(buyer.Id, "测试申购"));
        var order = await buyer.Client.PostAsync<PurchaseOrderSummary>("/api/purchase/orders", new OrderRequest(entry.Id, DeviceType.ScanBox, 2));
        Assert.Equal(PurchaseOrderStatus.Submitted, order.Status);

        var stock = await op.GetAsync<List<string>>("/api/purchase/stock?type=ScanBox&count=2");
        Assert.Equal(2, stock.Count);
        var owned = (await (await factory.LoginAsync(DemoAccounts.Merchant)).GetAsync<DevicePage>("/api/devices?type=ScanBox&pageSize=1")).Items[0].Sn;

        var wrongCount = await op.PostAsJsonAsync($"/api/purchase/orders/{order.Id}/ship", new ShipRequest([stock[0]], null));
        Assert.Contains("与申购数量（2）不一致", await wrongCount.ProblemAsync(HttpStatusCode.BadRequest));
        var withOwned = await op.PostAsJsonAsync($"/api/purchase/orders/{order.Id}/ship", new ShipRequest([stock[0], owned], null));
        Assert.Contains($"{owned}（已有所有者）", await withOwned.ProblemAsync(HttpStatusCode.BadRequest));
        Assert.Equal(stock, await op.GetAsync<List<string>>("/api/purchase/stock?type=ScanBox&count=2")); // still free

        var byMerchant = await buyer.Client.PostAsJsonAsync($"/api/purchase/orders/{order.Id}/ship", new ShipRequest(stock, null));
        Assert.Equal(HttpStatusCode.Forbidden, byMerchant.StatusCode);
        var shipped = await op.PostAsync<PurchaseOrderSummary>($"/api/purchase/orders/{order.Id}/ship", new ShipRequest(stock, "顺丰 SF123"));
        Assert.Equal(PurchaseOrderStatus.Shipped, shipped.Status);
        Assert.Equal(0, (await buyer.Client.GetAsync<DevicePage>("/api/devices")).Total);

        var cancel = await buyer.Client.PostAsync($"/api/purchase/orders/{order.Id}/cancel", null);
        Assert.Contains("只有待发货的申购单可以取消", await cancel.ProblemAsync(HttpStatusCode.Conflict));

        var received = await buyer.Client.PostAsync<PurchaseOrderSummary>($"/api/purchase/orders/{order.Id}/receive", new { });
        Assert.Equal(PurchaseOrderStatus.Received, received.Status);
        var mine = await buyer.Client.GetAsync<DevicePage>("/api/devices");
        Assert.Equal(stock.Order(), mine.Items.Select(i => i.Sn).Order());
        Assert.All(mine.Items, d => Assert.Equal(ShipmentChannel.PlatformPurchase, d.ShipmentChannel));

        var again = await buyer.Client.PostAsync($"/api/purchase/orders/{order.Id}/receive", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task OrdersNeedTheMerchantsOwnEntryAndASaneQuantity()
    {
        var op = await factory.OperatorAsync();
        var buyer = await factory.NewAccountAsync(AccountRole.Merchant);
        var entry = await op.PostAsync<PurchaseEntrySummary>("/api/purchase/entries", new IssuePurchaseRequest(buyer.Id, null));
        var other = await factory.LoginAsync(DemoAccounts.IndividualMerchant);
        Assert.Equal("该申购入口不是发给您的",
            await (await other.PostAsJsonAsync("/api/purchase/orders", new OrderRequest(entry.Id, DeviceType.Tap, 1), ApiClient.Json)).ProblemAsync(HttpStatusCode.Forbidden));
        Assert.Contains("申购数量应为",
            await (await buyer.Client.PostAsJsonAsync("/api/purchase/orders", new OrderRequest(entry.Id, DeviceType.Tap, 0), ApiClient.Json)).ProblemAsync(HttpStatusCode.BadRequest));
        var sp = await factory.NewAccountAsync(AccountRole.ServiceProvider);
        Assert.Equal("申购入口只能发放给商家账号",
            await (await op.PostAsJsonAsync("/api/purchase/entries", new IssuePurchaseRequest(sp.Id, null))).ProblemAsync(HttpStatusCode.BadRequest));
    }
}

public sealed class SqliteOwnershipTests(SqliteFactory f) : OwnershipTests(f), IClassFixture<SqliteFactory>;
public sealed class PostgresOwnershipTests(PostgresFactory f) : OwnershipTests(f), IClassFixture<PostgresFactory>;
