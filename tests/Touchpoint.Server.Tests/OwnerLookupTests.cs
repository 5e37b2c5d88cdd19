using System.Net;
using Touchpoint.Core.Accounts;
using Touchpoint.Server.Demo;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Tests.Infrastructure;
using Touchpoint.Server.Tools;

namespace Touchpoint.Server.Tests;

/// <summary>R5: IoT查询设备所有者, masked and rate-limited, on each storage provider.</summary>
public abstract class OwnerLookupTests(TouchpointFactory factory)
{
    [Fact]
    public async Task BoundDeviceShowsAMaskedOwnerAndUnboundOrUnknownSaySo()
    {
        var asker = await factory.NewAccountAsync(AccountRole.Manufacturer);
        var owned = (await (await factory.LoginAsync(DemoAccounts.Merchant)).GetAsync<DevicePage>("/api/devices?pageSize=1")).Items[0].Sn;
        var bound = await asker.Client.GetAsync<OwnerLookupResult>($"/api/tools/owner-lookup?sn={owned.ToLowerInvariant()}");
        Assert.Equal((OwnerLookupStatus.Bound, "杭*科技有限公司"), (bound.Status, bound.MaskedOwner));

        var stock = await (await factory.OperatorAsync()).GetAsync<List<string>>("/api/purchase/stock?type=Tap&count=1");
        Assert.Equal(OwnerLookupStatus.Unbound, (await asker.Client.GetAsync<OwnerLookupResult>($"/api/tools/owner-lookup?sn={stock[0]}")).Status);
        Assert.Equal(OwnerLookupStatus.NotFound, (await asker.Client.GetAsync<OwnerLookupResult>("/api/tools/owner-lookup?sn=UNKNOWN00001")).Status);
        var malformed = await asker.Client.GetAsync("/api/tools/owner-lookup?sn=x");
        Assert.Contains("SN 格式不正确", await malformed.ProblemAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task LookupsAreRateLimitedPerAccountSoTheFleetCannotBeEnumerated()
    {
        var asker = await factory.NewAccountAsync(AccountRole.Merchant);
        var other = await factory.NewAccountAsync(AccountRole.Merchant);
        for (var i = 0; i < 5; i++) // the test host allows 5 an hour
        {
            Assert.Equal(HttpStatusCode.OK, (await asker.Client.GetAsync($"/api/tools/owner-lookup?sn={Scenario.NewSn()}")).StatusCode);
        }
        var limited = await asker.Client.GetAsync($"/api/tools/owner-lookup?sn={Scenario.NewSn()}");
        Assert.Equal("查询过于频繁，请稍后再试", await limited.ProblemAsync(HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, (await other.Client.GetAsync($"/api/tools/owner-lookup?sn={Scenario.NewSn()}")).StatusCode);
    }
}

public sealed class SqliteOwnerLookupTests(SqliteFactory f) : OwnerLookupTests(f), IClassFixture<SqliteFactory>;
public sealed class PostgresOwnerLookupTests(PostgresFactory f) : OwnerLookupTests(f), IClassFixture<PostgresFactory>;
