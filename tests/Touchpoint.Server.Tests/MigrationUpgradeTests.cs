using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>Upgrading keeps every row: a database made by the first migration, with data, migrated to the latest.</summary>
public class MigrationUpgradeTests
{
    private const string First = "20261124205650_InitialSchema";

    [Fact]
    public async Task SqliteUpgradeFromTheFirstSchemaKeepsDevicesAndBackfillsTheirAppSummary()
    {
        var folder = Directory.CreateTempSubdirectory("touchpoint-upgrade-").FullName;
        try
        {
            var options = new DbContextOptionsBuilder<SqliteTouchpointDb>().UseSqlite($"Data Source={Path.Combine(folder, "t.db")}").Options;
            await using var db = new SqliteTouchpointDb(options);
            await UpgradeAndCheckAsync(db);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public async Task PostgresUpgradeFromTheFirstSchemaKeepsDevicesAndBackfillsTheirAppSummary()
    {
        var database = $"tp_upgrade_{Guid.NewGuid():N}";
        var cs = new NpgsqlConnectionStringBuilder(PostgresFactory.ServerConnectionString) { Database = database }.ConnectionString;
        try
        {
            await using var db = new PostgresTouchpointDb(new DbContextOptionsBuilder<PostgresTouchpointDb>().UseNpgsql(cs).Options);
            await UpgradeAndCheckAsync(db);
        }
        finally
        {
            TestDatabases.Drop(database);
        }
    }

    private static async Task UpgradeAndCheckAsync(TouchpointDb db)
    {
        var migrator = db.GetInfrastructure().GetRequiredService<IMigrator>();
        await migrator.MigrateAsync(First);
        var pg = db.Database.IsNpgsql();
        string Q(string name) => $"\"{name}\"";
        var now = pg ? "now()" : "'2026-11-24 00:00:00'";
        var f = pg ? "false" : "0";
        var t = pg ? "true" : "1";
        // Only provider-specific literals chosen above are interpolated (no input), so raw SQL is safe here.
#pragma warning disable EF1002
        await db.Database.ExecuteSqlRawAsync($"""
            INSERT INTO {Q("Accounts")} ({Q("Id")}, {Q("LoginName")}, {Q("DisplayName")}, {Q("Role")}, {Q("PasswordHash")}, {Q("FailedLoginCount")}, {Q("Disabled")}, {Q("CreatedAtUtc")})
            VALUES (1, 'old-maker', '老厂商有限公司', 2, 'x', 0, {f}, {now});
            INSERT INTO {Q("Devices")} ({Q("Id")}, {Q("Sn")}, {Q("Type")}, {Q("Model")}, {Q("ManufacturerId")}, {Q("ShipmentChannel")}, {Q("TransferType")},
                {Q("AntOs")}, {Q("Capabilities")}, {Q("NetworkType")}, {Q("IsOnline")}, {Q("CreatedAtUtc")}, {Q("Revision")})
            VALUES (1, 'OLD00000001', 1, '蜻蜓 F4', 1, 1, 1, {t}, 5, 1, {f}, {now}, 1),
                   (2, 'OLD00000002', 5, '扫码盒子 B3', 1, 1, 1, {f}, 0, 1, {f}, {now}, 1);
            INSERT INTO {Q("DeviceApps")} ({Q("DeviceId")}, {Q("PackageName")}, {Q("AppName")}, {Q("Version")})
            VALUES (1, 'com.alipay.zoloz.smile', '刷脸付', '5.1.0'), (1, 'com.alipay.iot.service', '支付宝IoT服务', '3.2.7');
            """);
#pragma warning restore EF1002

        await migrator.MigrateAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var devices = await db.Devices.AsNoTracking().Include(d => d.Apps).OrderBy(d => d.Id).ToListAsync();
        Assert.Equal(["OLD00000001", "OLD00000002"], devices.Select(d => d.Sn));
        Assert.Equal(Core.Devices.Device.SummarizeApps(devices[0].Apps), devices[0].AppsSummary);
        Assert.Equal("刷脸付 5.1.0；支付宝IoT服务 3.2.7", devices[0].AppsSummary);
        Assert.Equal("", devices[1].AppsSummary);
    }
}
