using Touchpoint.Core.Accounts;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Demo;
using Touchpoint.Server.Ownership;

namespace Touchpoint.Server.Tests.Infrastructure;

public sealed record TestAccount(long Id, string Login, string Name, HttpClient Client);

/// <summary>
/// Builds isolated fixtures through the public API (as the operator, the manufacturer and the owner would),
/// so tests sharing one database never see each other's accounts or devices.
/// </summary>
public static class Scenario
{
    public static string NewSn(string prefix = "TS") => prefix + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();

    public static async Task<TestAccount> NewAccountAsync(this TouchpointFactory f, AccountRole role, string? name = null)
    {
        var op = await f.OperatorAsync();
        var login = $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}"[..30];
        var display = name ?? $"测试{role.Chinese()}{login[^6..]}有限公司";
        var created = await op.PostAsync<AccountSummary>("/api/accounts",
            new NewAccount(login, display, role, "Passw0rd!", role == AccountRole.Merchant ? MerchantKind.Enterprise : null, "餐饮", "13900001234"));
        return new TestAccount(created.Id, login, display, await f.LoginAsync(login, "Passw0rd!"));
    }

    /// <summary>Operator issues an entry, the demo manufacturer submits the SNs, the owner authorizes them all.</summary>
    public static async Task<string[]> OnboardAsync(this TouchpointFactory f, TestAccount owner, int count, string type = "刷脸设备")
    {
        var entryId = await f.IssueOnboardingAsync(owner);
        var maker = await f.LoginAsync(DemoAccounts.Manufacturer);
        var sns = Enumerable.Range(0, count).Select(_ => NewSn()).ToArray();
        var result = await maker.PostAsync<OnboardingSubmission>($"/api/onboarding/entries/{entryId}/devices",
            sns.Select(sn => new SubmitDeviceRequest(sn, type, null, "11", null)).ToArray());
        Assert.Equal(count, result.Accepted);
        await owner.Client.PostAsync<object>($"/api/onboarding/entries/{entryId}/decide", new DecideRequest(null, true));
        return sns;
    }

    public static async Task<long> IssueOnboardingAsync(this TouchpointFactory f, TestAccount owner)
    {
        var op = await f.OperatorAsync();
        var accounts = await op.GetAsync<List<AccountSummary>>("/api/accounts?role=Manufacturer");
        var entry = await op.PostAsync<OnboardingEntrySummary>("/api/onboarding/entries",
            new IssueOnboardingRequest(accounts.Single(a => a.LoginName == DemoAccounts.Manufacturer).Id, owner.Id, "测试批次"));
        return entry.Id;
    }
}
