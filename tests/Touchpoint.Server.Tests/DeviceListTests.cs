using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Devices;
using Touchpoint.Server.Demo;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>R1: the device list, its filters, details and export, on each storage provider.</summary>
public abstract class DeviceListTests(TouchpointFactory factory)
{
    [Fact]
    public async Task MerchantSeesExactlyTheDevicesItOwns()
    {
        var merchant = await factory.LoginAsync(DemoAccounts.Merchant);
        var page = await merchant.GetAsync<DevicePage>("/api/devices?pageSize=100");
        Assert.Equal(24, page.Total);
        Assert.All(page.Items, d => Assert.Equal("杭州云点科技有限公司", d.OwnerName));
        var shop = await (await factory.LoginAsync(DemoAccounts.IndividualMerchant)).GetAsync<DevicePage>("/api/devices?pageSize=100");
        Assert.Equal(8, shop.Total);
        Assert.Empty(page.Items.Select(i => i.Sn).Intersect(shop.Items.Select(i => i.Sn)));
    }

    [Fact]
    public async Task FiltersCombineAndPagingAndSortingHold()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var face = await factory.OnboardAsync(owner, 3, "刷脸设备");
        var tap = await factory.OnboardAsync(owner, 2, "碰一下");

        var byType = await owner.Client.GetAsync<DevicePage>("/api/devices?type=Tap");
        Assert.Equal(tap.Order(), byType.Items.Select(i => i.Sn).Order());

        var bySn = await owner.Client.GetAsync<DevicePage>($"/api/devices?sn={face[1][2..10].ToLowerInvariant()}");
        Assert.Equal([face[1]], bySn.Items.Select(i => i.Sn));

        var offline = await owner.Client.GetAsync<DevicePage>("/api/devices?online=false");
        Assert.Equal(5, offline.Total); // onboarded devices have never been online
        Assert.Equal(0, (await owner.Client.GetAsync<DevicePage>("/api/devices?online=true")).Total);

        var sorted = await owner.Client.GetAsync<DevicePage>("/api/devices?sort=Sn&desc=false&page=2&pageSize=2");
        Assert.Equal(5, sorted.Total);
        Assert.Equal(face.Concat(tap).Order(StringComparer.Ordinal).Skip(2).Take(2), sorted.Items.Select(i => i.Sn));
    }

    [Fact]
    public async Task AppFilterMatchesAppNameOrVersionPrefix()
    {
        var merchant = await factory.LoginAsync(DemoAccounts.Merchant);
        var cashier = await merchant.GetAsync<DevicePage>($"/api/devices?app={Uri.EscapeDataString("收银台")}&pageSize=100");
        Assert.NotEmpty(cashier.Items);
        Assert.All(cashier.Items, d => Assert.Contains("云点收银台", d.Apps));
        var version = await merchant.GetAsync<DevicePage>("/api/devices?app=3.&pageSize=100");
        Assert.All(version.Items, d => Assert.Matches(@"支付宝IoT服务 3\.", d.Apps));
    }

    [Fact]
    public async Task DetailShowsEveryFieldOfR1ToTheOwner()
    {
        var merchant = await factory.LoginAsync(DemoAccounts.Merchant);
        var sn = (await merchant.GetAsync<DevicePage>("/api/devices?type=Kiosk&pageSize=1")).Items.Single().Sn;
        var body = await merchant.GetStringAsync($"/api/devices/{sn.ToLowerInvariant()}");
        foreach (var field in new[] { "shipmentChannel", "transferType", "ownershipUpdatedAtUtc", "apps", "lastBootAtUtc", "lastOnlineLocation", "capabilities", "antOs", "manufacturer" })
        {
            Assert.Contains($"\"{field}\"", body);
        }
        Assert.Contains("云点收银台", body);
    }

    [Fact]
    public async Task StrangerGets403ForAnotherOwnersDeviceAndUnknownSnGets404()
    {
        var shop = await factory.LoginAsync(DemoAccounts.IndividualMerchant);
        var merchantSn = (await (await factory.LoginAsync(DemoAccounts.Merchant)).GetAsync<DevicePage>("/api/devices?pageSize=1")).Items[0].Sn;
        Assert.Equal($"您无权查看设备 {merchantSn}", await (await shop.GetAsync($"/api/devices/{merchantSn}")).ProblemAsync(HttpStatusCode.Forbidden));
        Assert.Contains("设备不存在", await (await shop.GetAsync("/api/devices/NOSUCH0001")).ProblemAsync(HttpStatusCode.NotFound));
        Assert.Contains("SN 格式不正确", await (await shop.GetAsync("/api/devices/bad")).ProblemAsync(HttpStatusCode.BadRequest));
        var all = await shop.GetAsync("/api/devices?scope=All");
        Assert.Equal("只有平台运营可以查看全部设备", await all.ProblemAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task CsvExportHasBomChineseHeaderAndExactlyTheFilteredRows()
    {
        var merchant = await factory.LoginAsync(DemoAccounts.Merchant);
        var expected = await merchant.GetAsync<DevicePage>("/api/devices?type=FacePay&pageSize=100");
        var response = await merchant.GetAsync("/api/devices/export?type=FacePay&format=Csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition!.ToString());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("设备SN,设备类型,型号,设备所有者,在线状态,出货渠道,出让类型,所有权更新时间,主要应用版本", lines[0]);
        Assert.Equal(expected.Items.Select(i => i.Sn).Order(), lines.Skip(1).Select(l => l.Split(',')[0]).Order());
        Assert.All(lines.Skip(1), l => Assert.Contains(",刷脸设备,", l));
    }

    [Fact]
    public async Task XlsxExportIsAValidWorkbookWithOneRowPerDevice()
    {
        var merchant = await factory.LoginAsync(DemoAccounts.Merchant);
        var response = await merchant.GetAsync("/api/devices/export?format=Xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        using var reader = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var sheet = await reader.ReadToEndAsync();
        Assert.Equal(1 + 24, Regex.Matches(sheet, "<row ").Count);
        Assert.Contains("<t>设备SN</t>", sheet);
        Assert.NotNull(zip.GetEntry("xl/workbook.xml"));
    }

    [Fact]
    public async Task ExportOfAnEmptyFilterIsRefusedWithAMessageNotAnEmptyFile()
    {
        var merchant = await factory.LoginAsync(DemoAccounts.Merchant);
        var response = await merchant.GetAsync("/api/devices/export?sn=NOTHINGMATCHES&format=Csv");
        Assert.Equal("当前筛选条件下没有设备，无需导出", await response.ProblemAsync(HttpStatusCode.BadRequest));
    }
}

public sealed class SqliteDeviceListTests(SqliteFactory f) : DeviceListTests(f), IClassFixture<SqliteFactory>;
public sealed class PostgresDeviceListTests(PostgresFactory f) : DeviceListTests(f), IClassFixture<PostgresFactory>;
