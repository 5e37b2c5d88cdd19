using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Core.Accounts;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Demo;
using Touchpoint.Server.Tests.Infrastructure;

namespace Touchpoint.Server.Tests;

/// <summary>Host, health and accounts, on each storage provider.</summary>
public abstract class PlatformTests(TouchpointFactory factory)
{
    protected abstract string ExpectedProvider { get; }

    [Fact]
    public async Task HealthReportsTheProviderAndTheAppliedSchemaVersion()
    {
        using var doc = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/healthz"));
        Assert.Equal("ok", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(ExpectedProvider, doc.RootElement.GetProperty("storage").GetString());
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync();
        Assert.Equal(db.Database.GetMigrations().Last(), doc.RootElement.GetProperty("schemaVersion").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("pendingMigrations").GetInt32());
    }

    [Fact]
    public async Task ApiRejectsAnonymousCallersWith401AndTheConsoleRedirectsToLogin()
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/devices")).StatusCode);
        var page = await client.GetAsync("/devices");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.OriginalString.Replace("http://localhost", ""));
    }

    [Fact]
    public async Task WrongPasswordGetsOneGenericMessageAndFiveFailuresSlowThatClientDown()
    {
        var account = await factory.NewAccountAsync(AccountRole.Merchant);
        var client = factory.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            var bad = await client.PostAsJsonAsync("/api/auth/login", new { loginName = account.Login, password = "wrong-password" });
            Assert.Equal("账号或密码错误", await bad.ProblemAsync(HttpStatusCode.BadRequest));
        }
        var slowed = await client.PostAsJsonAsync("/api/auth/login", new { loginName = account.Login, password = "Passw0rd!" });
        Assert.StartsWith("登录失败次数过多，请", await slowed.ProblemAsync(HttpStatusCode.TooManyRequests));
        var unknown = await client.PostAsJsonAsync("/api/auth/login", new { loginName = "no-such-login-" + Guid.NewGuid().ToString("N")[..6], password = "x" });
        Assert.Equal("账号或密码错误", await unknown.ProblemAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task OnlyTheOperatorCreatesAccountsAndLoginNamesAreUnique()
    {
        var merchant = await factory.LoginAsync(DemoAccounts.Merchant);
        var denied = await merchant.PostAsJsonAsync("/api/accounts", new NewAccount("someone", "某公司", AccountRole.Merchant, "Passw0rd!", MerchantKind.Enterprise), ApiClient.Json);
        Assert.Equal("只有平台运营可以创建账号", await denied.ProblemAsync(HttpStatusCode.Forbidden));

        var op = await factory.OperatorAsync();
        var dup = await op.PostAsJsonAsync("/api/accounts", new NewAccount("MERCHANT", "重复", AccountRole.Merchant, "Passw0rd!", MerchantKind.Enterprise), ApiClient.Json);
        Assert.Equal("登录名 merchant 已被使用", await dup.ProblemAsync(HttpStatusCode.Conflict));
        var noKind = await op.PostAsJsonAsync("/api/accounts", new NewAccount("newshop1", "新店", AccountRole.Merchant, "Passw0rd!"), ApiClient.Json);
        Assert.Contains("主体类型", await noKind.ProblemAsync(HttpStatusCode.BadRequest));
        var shortPassword = await op.PostAsJsonAsync("/api/accounts", new NewAccount("newshop2", "新店", AccountRole.ServiceProvider, "123"), ApiClient.Json);
        Assert.Equal("密码至少 8 位", await shortPassword.ProblemAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task DemoDataHasEveryRoleTwoMerchantsAndAboutFiftyDevices()
    {
        var accounts = await (await factory.OperatorAsync()).GetAsync<List<AccountSummary>>("/api/accounts");
        foreach (var role in Enum.GetValues<AccountRole>())
        {
            Assert.Contains(accounts, a => a.Role == role);
        }
        Assert.True(accounts.Count(a => a.Role == AccountRole.Merchant) >= 2);
        var all = await (await factory.OperatorAsync()).GetAsync<Devices.DevicePage>("/api/devices?scope=All&pageSize=1");
        Assert.True(all.Total >= 50, $"demo has {all.Total} devices");
    }
}

public sealed class SqlitePlatformTests(SqliteFactory f) : PlatformTests(f), IClassFixture<SqliteFactory> { protected override string ExpectedProvider => "Sqlite"; }
public sealed class PostgresPlatformTests(PostgresFactory f) : PlatformTests(f), IClassFixture<PostgresFactory> { protected override string ExpectedProvider => "Postgres"; }
