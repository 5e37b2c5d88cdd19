using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Accounts;
using Touchpoint.Server.DeviceChannel;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Demo;

/// <summary>
/// Demo mode: device keys for a few of the demo merchant's terminals, written to <c>data/demo/agents.json</c> so that
/// <c>./run.sh</c> can start simulated agents and a newcomer sees live devices at once.
/// </summary>
public sealed class DemoAgents(IDbContextFactory<TouchpointDb> factory, DeviceCredentialService credentials, DemoSandbox sandbox,
    IOptions<DemoOptions> options, IOptions<DeviceChannel.DeviceChannelOptions> channel, ILogger<DemoAgents> logger)
{
    public const string FileName = "agents.json";
    /// <summary>The simulated members who shop at the demo terminals (run.sh's paying loop), with the numbers they verify with.</summary>
    public const string ShoppersFileName = "shoppers.json";

    public async Task EnsureAsync(CancellationToken ct)
    {
        var count = options.Value.Agents;
        if (!options.Value.Seed || count <= 0)
        {
            return;
        }
        if (channel.Value.Broker == DeviceChannel.DeviceBrokerMode.External)
        {
            // Keys are issued at start-up, before the link to an external broker is up; demo agents are for the embedded one.
            logger.LogInformation("Demo agents are not prepared: the device channel uses an external broker");
            return;
        }
        var path = Path.Combine(sandbox.Directory, FileName);
        await using var db = await factory.CreateDbContextAsync(ct);
        await SeedSimRegistryAsync(db, ct);
        var shoppers = await db.Members.AsNoTracking().Where(m => m.FacePayEnabled).OrderBy(m => m.UserId)
            .Select(m => new Shopper(m.UserId, m.NickName, m.Mobile)).ToListAsync(ct);
        await File.WriteAllTextAsync(Path.Combine(sandbox.Directory, ShoppersFileName),
            JsonSerializer.Serialize(shoppers, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), ct);
        if (File.Exists(path))
        {
            var existing = JsonSerializer.Deserialize<List<AgentCredential>>(await File.ReadAllTextAsync(path, ct)) ?? [];
            var sns = existing.Select(e => e.sn).ToList();
            if (sns.Count > 0 && await db.Devices.CountAsync(d => sns.Contains(d.Sn), ct) == sns.Count)
            {
                return;
            }
        }
        var merchant = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.LoginName == DemoAccounts.Merchant, ct);
        var operatorAccount = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Role == AccountRole.Operator, ct);
        if (merchant is null || operatorAccount is null)
        {
            return;
        }
        var chosen = await db.Devices.AsNoTracking().Where(d => d.OwnerId == merchant.Id).OrderBy(d => d.Sn).Select(d => d.Sn).Take(count).ToListAsync(ct);
        var issued = new List<AgentCredential>();
        foreach (var sn in chosen)
        {
            var credential = await credentials.IssueForDeviceAsync(sn, operatorAccount.Id, ct);
            issued.Add(new AgentCredential(sn, credential.PrivateKeyPem));
        }
        await KeyFile.WriteAsync(path, JsonSerializer.Serialize(issued, new JsonSerializerOptions { WriteIndented = true }), ct);
        logger.LogWarning("Device keys for {Count} demo terminals written to {Path}", issued.Count, path);
    }

    /// <summary>A few official SIMs (官方流量卡) for 查询流量卡信息; the demo's cellular terminals use other carriers' SIMs.</summary>
    private static async Task SeedSimRegistryAsync(TouchpointDb db, CancellationToken ct)
    {
        if (await db.SimCards.AnyAsync(ct))
        {
            return;
        }
        var activated = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        db.SimCards.AddRange(
            new Core.DeviceChannel.SimCard { Iccid = "8986089900000000001", Plan = "IoT 标准包 1GB/月", MonthlyQuotaMb = 1024, UsedMb = 312, Status = "正常", ActivatedAtUtc = activated },
            new Core.DeviceChannel.SimCard { Iccid = "8986089900000000002", Plan = "IoT 标准包 1GB/月", MonthlyQuotaMb = 1024, UsedMb = 1024, Status = "正常", ActivatedAtUtc = activated },
            new Core.DeviceChannel.SimCard { Iccid = "8986089900000000003", Plan = "IoT 轻量包 300MB/月", MonthlyQuotaMb = 300, UsedMb = 20, Status = "停机", ActivatedAtUtc = activated });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The agent's credential file format (see src/Touchpoint.Device).</summary>
    private sealed record AgentCredential(string sn, string private_key);

    private sealed record Shopper(string user_id, string name, string mobile);
}
