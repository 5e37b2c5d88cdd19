using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Apps;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.OpenApi;

namespace Touchpoint.Server.Demo;

/// <summary>What a sandbox file holds: everything an SDK needs to call the gateway at once.</summary>
public sealed record SandboxApp(string Title, string AppId, string AppName, string Owner, string PrivateKey, string PlatformPublicKey,
    string? AesKey, string Gateway, string? AppAuthToken = null, string? MerchantAppId = null, long OwnerId = 0,
    IReadOnlyList<string>? DistributionAppIds = null);

/// <summary>
/// Demo mode's sandbox (like Alipay's 沙箱应用 page): a merchant mini-program and a service provider's third-party app
/// authorized for it, with their private keys written to <c>data/demo/</c>. Made once; the files are re-read by the console.
/// </summary>
public sealed class DemoSandbox(IDbContextFactory<TouchpointDb> factory, AppService apps, PlatformKeyring keyring,
    MemberInfo.FieldApplicationService applications, Distribution.ArtifactStore artifacts, TimeProvider clock,
    IOptions<DemoOptions> options, IConfiguration configuration, IHostEnvironment environment, ILogger<DemoSandbox> logger)
{
    /// <summary>Where README's sample back end (samples/MerchantBackend) listens.</summary>
    public const string SampleBackend = "http://127.0.0.1:5090";

    // A 1×1 PNG: the sample picture of the demo's own (already approved) phone-number application.
    private static readonly byte[] SamplePng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    public const string MerchantFile = "sandbox-app.json";
    public const string ProviderFile = "sandbox-isv-app.json";
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Directory => Path.GetFullPath(options.Value.SandboxDirectory, environment.ContentRootPath);

    public async Task EnsureAsync(CancellationToken ct)
    {
        if (!options.Value.Seed)
        {
            return;
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var existing = (await ReadAsync(ct)).Select(a => a.AppId).ToList();
        if (existing.Count == 2 && await db.DeveloperApps.CountAsync(a => existing.Contains(a.AppId), ct) == 2)
        {
            return; // files and database agree; a fresh database with old files gets new sandbox apps below
        }
        var merchant = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.LoginName == DemoAccounts.Merchant, ct);
        var provider = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.LoginName == DemoAccounts.ServiceProvider, ct);
        if (merchant is null || provider is null)
        {
            return;
        }
        var merchantActor = new Actor(merchant.Id, merchant.Role, merchant.DisplayName);
        var providerActor = new Actor(provider.Id, provider.Role, provider.DisplayName);
        var gateway = GatewayUrl();

        var mini = await apps.CreateAsync(merchantActor, "云点会员", AppKind.MiniProgram, ct);
        await apps.UpdateBasicInfoAsync(merchantActor, mini.AppId, new BasicInfoChange("云点会员", "C01_C0101",
            "https://touchpoint.example/logo/yundian.png", "云点餐厅的会员小程序：点餐、积分与会员权益", "0571-88880000"), ct);
        var miniKey = await apps.GenerateKeyPairAsync(merchantActor, mini.AppId, ct);
        var miniAes = await apps.GenerateAesKeyAsync(merchantActor, mini.AppId, ct);
        await apps.AddFeaturePackageAsync(merchantActor, mini.AppId, MemberFieldCatalogue.MobilePackage, ct);
        await apps.SetSubscriptionsAsync(merchantActor, mini.AppId, [MemberFieldCatalogue.FieldChangedMethod], ct);
        await apps.SetGatewayAsync(merchantActor, mini.AppId, $"{SampleBackend}/alipay/gateway", ct);
        await apps.SetPreviewBackendAsync(merchantActor, mini.AppId, $"{SampleBackend}/api/phone-number", ct);
        // The phone number works at once in 小程序预览: the mobile field applied for and approved by the operator.
        var application = await applications.ApplyFromConsoleAsync(merchantActor, mini.AppId, new FieldApplicationRequest(
            "getPhoneNumber", "mobile", MemberFieldCatalogue.MobilePackage, "MEMBER_REGISTER", "预计接口秒级调用量峰值：5 qps",
            "有自己的客服团队 3 人，能够及时响应并处理舆情", [new MediaUpload("picture_1", "demo.png", "image/png", SamplePng.Length, MediaKind.Image)]),
            [new MemberInfo.MediaFile("picture_1", "demo.png", "image/png", SamplePng)], ct);
        var operatorAccount = await db.Accounts.AsNoTracking().FirstAsync(a => a.LoginName == DemoAccounts.Operator, ct);
        await applications.ApproveAsync(new Actor(operatorAccount.Id, operatorAccount.Role, operatorAccount.DisplayName), application.Id, ct);

        var thirdParty = await apps.CreateAsync(providerActor, "码上通门店助手", AppKind.ThirdParty, ct);
        var thirdPartyKey = await apps.GenerateKeyPairAsync(providerActor, thirdParty.AppId, ct);
        await apps.SetSubscriptionsAsync(providerActor, thirdParty.AppId, [MemberFieldCatalogue.FieldChangedMethod], ct);
        var authorization = await apps.AuthorizeAsync(merchantActor, mini.AppId, thirdParty.AppId, ct);

        // 应用分发: the partner app the demo terminals run at an old version, and this mini-program, ready to distribute.
        var catalogue = await DemoCatalogue.SeedAsync(db, artifacts, merchant.Id, mini.AppId, clock.GetUtcNow().UtcDateTime, ct);
        await WriteAsync(MerchantFile, new SandboxApp("商家小程序（沙箱）", mini.AppId, "云点会员", merchant.DisplayName, miniKey,
            keyring.PublicKey, miniAes, gateway, OwnerId: merchant.Id, DistributionAppIds: catalogue), ct);
        await WriteAsync(ProviderFile, new SandboxApp("服务商第三方应用（沙箱）", thirdParty.AppId, "码上通门店助手", provider.DisplayName,
            thirdPartyKey, keyring.PublicKey, null, gateway, authorization.AppAuthToken, mini.AppId, provider.Id), ct);
        logger.LogWarning("沙箱应用已生成：{Directory}（商家小程序 {MiniAppId}，服务商第三方应用 {ThirdPartyAppId}）",
            Directory, mini.AppId, thirdParty.AppId);
    }

    /// <summary>The sandbox files, for the console's 沙箱应用 page; empty when demo mode made none.</summary>
    public async Task<IReadOnlyList<SandboxApp>> ReadAsync(CancellationToken ct)
    {
        var result = new List<SandboxApp>();
        foreach (var name in new[] { MerchantFile, ProviderFile })
        {
            var path = Path.Combine(Directory, name);
            if (File.Exists(path))
            {
                await using var stream = File.OpenRead(path);
                if (await JsonSerializer.DeserializeAsync<SandboxApp>(stream, Json, ct) is { } app)
                {
                    if (app.OwnerId == 0)
                    {
                        // Written by a version before owner ids: whose it is comes from the app itself.
                        await using var db = await factory.CreateDbContextAsync(ct);
                        app = app with { OwnerId = await db.DeveloperApps.Where(a => a.AppId == app.AppId).Select(a => a.OwnerId).FirstOrDefaultAsync(ct) };
                    }
                    result.Add(app);
                }
            }
        }
        return result;
    }

    private async Task WriteAsync(string name, SandboxApp app, CancellationToken ct)
    {
        await KeyFile.WriteAsync(Path.Combine(Directory, name), JsonSerializer.Serialize(app, Json), ct);
    }

    private string GatewayUrl()
    {
        var configured = configuration["OpenApi:PublicGatewayUrl"];
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }
        var first = (configuration["urls"] ?? "http://127.0.0.1:5080").Split(';')[0].TrimEnd('/');
        return first.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1") + "/gateway.do";
    }
}
