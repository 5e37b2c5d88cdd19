using System.Net;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Common;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Server.Demo;
using Touchpoint.Server.DeviceChannel;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Security;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

public class OutboundUrlPolicyTests
{
    private static OutboundUrlPolicy Policy(bool demo = false, params string[] allow) =>
        new(Options.Create(new SecurityOptions { OutboundAllowList = [.. allow] }), Options.Create(new DemoOptions { Seed = demo }));

    [Theory]
    [InlineData("http://127.0.0.1:5090/x")]
    [InlineData("http://localhost/x")]
    [InlineData("http://169.254.169.254/latest")]
    [InlineData("http://[::1]/x")]
    [InlineData("http://[::ffff:10.0.0.1]/x")]
    [InlineData("http://100.64.0.1/x")]
    [InlineData("http://[64:ff9b::a00:1]/x")]
    [InlineData("http://[2002:a9fe:a9fe::1]/x")]
    [InlineData("http://[fec0::1]/x")]
    public void InternalAddressesAreRefusedAsWritten(string url) =>
        Assert.Contains("不能指向本机、内网或链路本地地址", Assert.Throws<TouchpointException>(() => Policy().CheckUrl(url, "应用网关")).Message);

    [Fact]
    public void PublicAddressesNamesAndTheAllowListPass()
    {
        Policy().CheckUrl("https://203.0.113.10/notify", "应用网关");
        Policy().CheckUrl("https://merchant.example.com/notify", "应用网关");
        Policy(allow: "10.0.0.0/8").CheckUrl("http://10.1.2.3/notify", "应用网关");
        Policy(demo: true).CheckUrl("http://127.0.0.1:5090/alipay/gateway", "应用网关");
        Assert.Throws<TouchpointException>(() => Policy().CheckUrl("ftp://example.com/x", "应用网关"));
    }

    [Fact]
    public async Task ANameThatResolvesToAnInternalAddressIsRefusedWhenTheRequestConnects()
    {
        // The handler checks what a name resolves to, whatever the URL text said (a name re-pointed after it was saved).
        using var http = new HttpClient(Policy().CreateHandler());
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("http://localhost:9/"));
        Assert.Contains("本机、内网或链路本地地址", e.Message + e.InnerException?.Message);
        Assert.True(OutboundUrlPolicy.IsInternal(IPAddress.Parse("172.20.1.1")));
        Assert.False(OutboundUrlPolicy.IsInternal(IPAddress.Parse("8.8.8.8")));
        Assert.False(OutboundUrlPolicy.IsInternal(IPAddress.Parse("64:ff9b::808:808"))); // NAT64 of a public address
        Assert.True(OutboundUrlPolicy.IsInternal(IPAddress.Parse("::ffff:192.168.0.1")));
    }
}

public class DbErrorsTests
{
    [Fact]
    public async Task OnlyAUniqueViolationCountsAsALostRace()
    {
        var folder = Directory.CreateTempSubdirectory("touchpoint-dberrors-").FullName;
        try
        {
            var options = new DbContextOptionsBuilder<SqliteTouchpointDb>().UseSqlite($"Data Source={Path.Combine(folder, "t.db")}").Options;
            await using var db = new SqliteTouchpointDb(options);
            await db.Database.MigrateAsync();
            db.ThrottleCounters.Add(new ThrottleCounter { Key = "k" });
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            db.ThrottleCounters.Add(new ThrottleCounter { Key = "k" });
            var duplicate = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.True(duplicate.IsUniqueViolation());
            db.ChangeTracker.Clear();
            // A foreign key failure is a real error, not "someone else was faster".
            db.DeviceCredentials.Add(new DeviceCredential { DeviceId = 999_999, PublicKey = "x", IssuedAtUtc = DateTime.UtcNow, IssuedById = 999_999 });
            var broken = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.False(broken.IsLostRace());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, true);
        }
    }
}

/// <summary>A flush the database refuses keeps its reports for the next flush instead of dropping them.</summary>
public sealed class IngestRetryTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task AFailedFlushIsRetriedNotDropped()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sn = (await factory.OnboardAsync(owner, 1))[0];
        var real = factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>();
        var failing = new FailingOnce(real);
        var ingest = new DeviceIngest(failing, factory.Services.GetRequiredService<IOptions<DeviceChannelOptions>>(), TimeProvider.System,
            NullLogger<DeviceIngest>.Instance);
        ingest.Connection(sn, true, ConnectionReason.Connected, "203.0.113.5:4000");
        ingest.Telemetry(sn, new Telemetry { AndroidVersion = "13" });

        await ingest.FlushAsync(CancellationToken.None); // the database is "down": the batch and the retry one by one fail
        Assert.True(failing.Failed);
        await using (var before = await real.CreateDbContextAsync())
        {
            Assert.False((await before.Devices.SingleAsync(d => d.Sn == sn)).IsOnline);
        }
        await ingest.FlushAsync(CancellationToken.None);

        await using var db = await real.CreateDbContextAsync();
        var device = await db.Devices.SingleAsync(d => d.Sn == sn);
        Assert.True(device.IsOnline);
        Assert.Equal("13", device.AndroidVersion);
        Assert.Equal(1, await db.DeviceConnectionEvents.CountAsync(e => e.DeviceId == device.Id && e.Online));
    }

    /// <summary>The first two contexts fail (the batch, then its retry device by device), as a database that is away.</summary>
    private sealed class FailingOnce(IDbContextFactory<TouchpointDb> inner) : IDbContextFactory<TouchpointDb>
    {
        private int _calls;
        public bool Failed => _calls >= 2;

        public TouchpointDb CreateDbContext()
        {
            if (Interlocked.Increment(ref _calls) <= 2)
            {
                throw new InvalidOperationException("database unavailable (test)");
            }
            return inner.CreateDbContext();
        }
    }
}

/// <summary>One device's data the database refuses (PostgreSQL enforces column sizes) does not stop the others'.</summary>
public sealed class IngestPoisonTests(PostgresFactory factory) : IClassFixture<PostgresFactory>
{
    [Fact]
    public async Task ADeviceTheDatabaseRefusesIsDroppedAndTheRestOfTheBatchIsWritten()
    {
        var owner = await factory.NewAccountAsync(AccountRole.Merchant);
        var sns = await factory.OnboardAsync(owner, 2);
        var ingest = factory.Services.GetRequiredService<DeviceIngest>();
        // Past the broker's checks only in a test: an Android version longer than its column.
        ingest.Telemetry(sns[0], new Telemetry { AndroidVersion = new string('9', 40) });
        ingest.Telemetry(sns[1], new Telemetry { AndroidVersion = "14" });
        await ingest.FlushAsync(CancellationToken.None);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync();
        Assert.Equal("14", (await db.Devices.SingleAsync(d => d.Sn == sns[1])).AndroidVersion);
        Assert.NotEqual(new string('9', 40), (await db.Devices.SingleAsync(d => d.Sn == sns[0])).AndroidVersion);
        // Nothing of the poison is kept for later flushes: the next report is written at once.
        ingest.Telemetry(sns[1], new Telemetry { AndroidVersion = "15" });
        await ingest.FlushAsync(CancellationToken.None);
        db.ChangeTracker.Clear();
        Assert.Equal("15", (await db.Devices.SingleAsync(d => d.Sn == sns[1])).AndroidVersion);
    }
}
