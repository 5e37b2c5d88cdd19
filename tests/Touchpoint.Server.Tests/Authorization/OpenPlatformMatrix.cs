using Microsoft.EntityFrameworkCore;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Apps;
using Touchpoint.Server.Tests.Infrastructure;
using static Touchpoint.Server.Tests.Authorization.Rel;
using static Touchpoint.Server.Tests.Authorization.RowContext;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>
/// 我的应用: an app and its keys are its owner's alone ("不存在或不属于当前账号" to everyone else, 404); the operator
/// may look, not change; merchants authorize third-party apps for their own apps (the operator may not: 403); the
/// provider ("Grantee" here: the owner of the third-party app the merchant authorized) sees its tokens, not the merchant.
/// </summary>
public static class OpenPlatformMatrix
{
    private const string ThirdPartyKind = "kind ThirdParty";
    private const string ItsThirdPartyApp = "the provider's third-party app";
    private const string NotifyUrl = "http://127.0.0.1:9/alipay/notify";  // nobody listens: the delivery stays undelivered

    public static readonly IReadOnlyList<Row> Rows =
    [
        //  method  pattern                                     relation               status  case
        new("GET",  "/api/open/platform",                       Owner,                 200),
        new("GET",  "/api/open/platform",                       Operator,              200),
        new("GET",  "/api/open/platform",                       Anonymous,             401),
        new("GET",  "/api/open/apps",                           Owner,                 200),
        new("GET",  "/api/open/apps",                           OtherMerchant,         200),  // lists none of the owner's apps
        new("GET",  "/api/open/apps",                           Operator,              200),  // its own: none
        new("GET",  "/api/open/apps",                           Anonymous,             401),
        new("POST", "/api/open/apps",                           Owner,                 201),
        new("POST", "/api/open/apps",                           ServiceProvider,       201, ThirdPartyKind),
        new("POST", "/api/open/apps",                           Owner,                 403, ThirdPartyKind),
        new("POST", "/api/open/apps",                           Operator,              403),
        new("POST", "/api/open/apps",                           Manufacturer,          403),
        new("POST", "/api/open/apps",                           Anonymous,             401),
        new("GET",  "/api/open/apps/{appId}",                   Owner,                 200),  // without the AES key
        new("GET",  "/api/open/apps/{appId}",                   Operator,              200),  // without the AES key
        new("GET",  "/api/open/apps/{appId}",                   OtherMerchant,         404),
        new("GET",  "/api/open/apps/{appId}",                   ServiceProvider,       404),
        new("GET",  "/api/open/apps/{appId}",                   Anonymous,             401),
        new("PUT",  "/api/open/apps/{appId}/basic-info",        Owner,                 200),
        new("PUT",  "/api/open/apps/{appId}/basic-info",        Owner,                 400, Matrix.WithoutRequestedWith),
        new("PUT",  "/api/open/apps/{appId}/basic-info",        Operator,              404),
        new("PUT",  "/api/open/apps/{appId}/basic-info",        OtherMerchant,         404),
        new("PUT",  "/api/open/apps/{appId}/basic-info",        Anonymous,             401),
        new("PUT",  "/api/open/apps/{appId}/public-key",        Owner,                 200),
        new("PUT",  "/api/open/apps/{appId}/public-key",        Operator,              404),
        new("PUT",  "/api/open/apps/{appId}/public-key",        OtherMerchant,         404),
        new("PUT",  "/api/open/apps/{appId}/public-key",        Anonymous,             401),
        new("POST", "/api/open/apps/{appId}/key-pair",          Owner,                 200),
        new("POST", "/api/open/apps/{appId}/key-pair",          Operator,              404),
        new("POST", "/api/open/apps/{appId}/key-pair",          OtherMerchant,         404),
        new("POST", "/api/open/apps/{appId}/key-pair",          Anonymous,             401),
        new("POST", "/api/open/apps/{appId}/aes-key",           Owner,                 200),
        new("POST", "/api/open/apps/{appId}/aes-key",           Operator,              404),
        new("POST", "/api/open/apps/{appId}/aes-key",           OtherMerchant,         404),
        new("POST", "/api/open/apps/{appId}/aes-key",           Anonymous,             401),
        new("POST", "/api/open/apps/{appId}/aes-key/reveal",    Owner,                 200),
        new("POST", "/api/open/apps/{appId}/aes-key/reveal",    Operator,              404),
        new("POST", "/api/open/apps/{appId}/aes-key/reveal",    OtherMerchant,         404),
        new("POST", "/api/open/apps/{appId}/aes-key/reveal",    ServiceProvider,       404),
        new("POST", "/api/open/apps/{appId}/aes-key/reveal",    Anonymous,             401),
        new("PUT",  "/api/open/apps/{appId}/gateway",           Owner,                 200),
        new("PUT",  "/api/open/apps/{appId}/gateway",           Operator,              404),
        new("PUT",  "/api/open/apps/{appId}/gateway",           OtherMerchant,         404),
        new("PUT",  "/api/open/apps/{appId}/gateway",           Anonymous,             401),
        new("PUT",  "/api/open/apps/{appId}/subscriptions",     Owner,                 200),
        new("PUT",  "/api/open/apps/{appId}/subscriptions",     Operator,              404),
        new("PUT",  "/api/open/apps/{appId}/subscriptions",     OtherMerchant,         404),
        new("PUT",  "/api/open/apps/{appId}/subscriptions",     Anonymous,             401),
        new("POST", "/api/open/apps/{appId}/packages",          Owner,                 200),
        new("POST", "/api/open/apps/{appId}/packages",          Operator,              404),
        new("POST", "/api/open/apps/{appId}/packages",          OtherMerchant,         404),
        new("POST", "/api/open/apps/{appId}/packages",          Anonymous,             401),
        new("GET",  "/api/open/apps/{appId}/authorizations",    Owner,                 200),  // without the provider's token
        new("GET",  "/api/open/apps/{appId}/authorizations",    Operator,              200),  // without the provider's token
        new("GET",  "/api/open/apps/{appId}/authorizations",    GranteeWithPermission, 200, ItsThirdPartyApp),  // with its token
        new("GET",  "/api/open/apps/{appId}/authorizations",    GranteeWithPermission, 404),
        new("GET",  "/api/open/apps/{appId}/authorizations",    OtherMerchant,         404),
        new("GET",  "/api/open/apps/{appId}/authorizations",    Anonymous,             401),
        new("POST", "/api/open/apps/{appId}/authorizations",    Owner,                 200),
        new("POST", "/api/open/apps/{appId}/authorizations",    Operator,              403),
        new("POST", "/api/open/apps/{appId}/authorizations",    OtherMerchant,         404),
        new("POST", "/api/open/apps/{appId}/authorizations",    GranteeWithPermission, 404),  // the provider cannot authorize itself
        new("POST", "/api/open/apps/{appId}/authorizations",    ServiceProvider,       404),
        new("POST", "/api/open/apps/{appId}/authorizations",    Anonymous,             401),
        new("POST", "/api/open/authorizations/{id:long}/revoke", Owner,                204),
        new("POST", "/api/open/authorizations/{id:long}/revoke", GranteeWithPermission, 404),
        new("POST", "/api/open/authorizations/{id:long}/revoke", Operator,             404),
        new("POST", "/api/open/authorizations/{id:long}/revoke", OtherMerchant,        404),
        new("POST", "/api/open/authorizations/{id:long}/revoke", Anonymous,            401),
        new("GET",  "/api/open/notifications",                  Owner,                 200),
        new("GET",  "/api/open/notifications",                  OtherMerchant,         200),  // asking for the owner's app: none
        new("GET",  "/api/open/notifications",                  Operator,              200),
        new("GET",  "/api/open/notifications",                  Anonymous,             401),
        new("POST", "/api/open/notifications/{id:long}/retry",  Owner,                 204),
        new("POST", "/api/open/notifications/{id:long}/retry",  Operator,              204),
        new("POST", "/api/open/notifications/{id:long}/retry",  OtherMerchant,         404),
        new("POST", "/api/open/notifications/{id:long}/retry",  ServiceProvider,       404),
        new("POST", "/api/open/notifications/{id:long}/retry",  Anonymous,             401),
    ];

    public static readonly IReadOnlyDictionary<string, Arrange> Arrangements = new Dictionary<string, Arrange>
    {
        ["GET /api/open/platform"] = c => Task.FromResult(Get("/api/open/platform")),
        ["GET /api/open/apps"] = async c =>
        {
            var appId = await c.W.NewAppAsync();
            return Get("/api/open/apps", (_, body) =>
                c.Row.Status == 200 && body.Contains(appId, StringComparison.Ordinal) != (c.Rel == Owner) ? $"app {appId} {(c.Rel == Owner ? "missing" : "listed")}" : null);
        },
        ["POST /api/open/apps"] = c => Task.FromResult(Json("/api/open/apps", new NewApp("矩阵应用", c.Is(ThirdPartyKind) ? AppKind.ThirdParty : AppKind.MiniProgram))),
        ["GET /api/open/apps/{appId}"] = async c =>
        {
            var app = await c.W.NewSignedAppAsync();
            return Get($"/api/open/apps/{app.AppId}", (_, body) =>
            {
                if (c.Row.Status != 200) return null;
                using var doc = JsonDocument.Parse(body);
                var shown = doc.RootElement.TryGetProperty("aesKey", out var k) && k.ValueKind == JsonValueKind.String
                    || app.AesKey is { Length: > 0 } key && body.Contains(key, StringComparison.Ordinal);
                return shown ? "the app view contains the AES key" : null;
            });
        },
        ["PUT /api/open/apps/{appId}/basic-info"] = async c =>
            Put($"/api/open/apps/{await c.W.NewAppAsync()}/basic-info",
                new BasicInfoChange("矩阵改名小程序", "C01_C0101", "https://example.com/logo.png", "用于授权矩阵测试的小程序", "0571-88880000"), c),
        ["PUT /api/open/apps/{appId}/public-key"] = async c =>
        {
            using var rsa = RSA.Create(2048);
            return Put($"/api/open/apps/{await c.W.NewAppAsync()}/public-key", new KeyText(Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())), c);
        },
        ["POST /api/open/apps/{appId}/key-pair"] = async c => Empty($"/api/open/apps/{await c.W.NewAppAsync()}/key-pair"),
        ["POST /api/open/apps/{appId}/aes-key"] = async c => Empty($"/api/open/apps/{await c.W.NewAppAsync()}/aes-key"),
        ["POST /api/open/apps/{appId}/aes-key/reveal"] = async c =>
        {
            var app = await c.W.NewSignedAppAsync();
            return Empty($"/api/open/apps/{app.AppId}/aes-key/reveal", (_, body) =>
            {
                if (c.Row.Status != 200) return null;
                using var doc = JsonDocument.Parse(body);
                var key = doc.RootElement.TryGetProperty("aesKey", out var k) ? k.GetString() : null;
                return string.IsNullOrEmpty(key) || (app.AesKey is not null && key != app.AesKey) ? $"not the app's AES key: {Matrix.Clip(body)}" : null;
            });
        },
        ["PUT /api/open/apps/{appId}/gateway"] = async c => Put($"/api/open/apps/{await c.W.NewAppAsync()}/gateway", new UrlText("https://merchant.example.com/gw"), c),
        ["PUT /api/open/apps/{appId}/subscriptions"] = async c =>
            Put($"/api/open/apps/{await c.W.NewAppAsync()}/subscriptions", new MethodList([MemberFieldCatalogue.FieldChangedMethod]), c),
        ["POST /api/open/apps/{appId}/packages"] = async c =>
            Json($"/api/open/apps/{await c.W.NewAppAsync()}/packages", new PackageCode(MemberFieldCatalogue.MobilePackage)),
        ["GET /api/open/apps/{appId}/authorizations"] = async c =>
        {
            var shared = await c.W.SharedAppsAsync();
            var appId = await c.W.NewAppAsync();
            var (_, token) = await c.W.AuthorizeAsync(appId, c.W.Owner, shared.ThirdParty);
            var asked = c.Is(ItsThirdPartyApp) ? shared.ThirdParty.AppId : appId;
            return Get($"/api/open/apps/{asked}/authorizations", (_, body) =>
            {
                if (c.Row.Status != 200) return null;
                var shown = body.Contains(token, StringComparison.Ordinal);
                return shown == c.Is(ItsThirdPartyApp) ? null : $"the app_auth_token is {(shown ? "shown" : "missing")}";
            });
        },
        ["POST /api/open/apps/{appId}/authorizations"] = async c =>
            Json($"/api/open/apps/{await c.W.NewAppAsync()}/authorizations", new ThirdPartyRef((await c.W.SharedAppsAsync()).ThirdParty.AppId)),
        ["POST /api/open/authorizations/{id:long}/revoke"] = async c =>
        {
            var (id, _) = await c.W.AuthorizeAsync(await c.W.NewAppAsync(), c.W.Owner, (await c.W.SharedAppsAsync()).ThirdParty);
            return Empty($"/api/open/authorizations/{id}/revoke");
        },
        ["GET /api/open/notifications"] = async c =>
        {
            var (appId, deliveryId) = await UndeliveredAsync(c.W);
            return Get($"/api/open/notifications?appId={appId}", OwnershipMatrix.Lists(c, deliveryId, Owner, Operator));
        },
        ["POST /api/open/notifications/{id:long}/retry"] = async c => Empty($"/api/open/notifications/{(await UndeliveredAsync(c.W)).DeliveryId}/retry"),
    };

    private static Call Put(string url, object body, RowContext c) =>
        new(url, JsonContent.Create(body, options: ApiClient.Json), DevicesMatrix.ChineseProblem(c));

    /// <summary>A field.changed notification to an app gateway nobody answers: the owner's app subscribed, applied, approved.</summary>
    private static async Task<(string AppId, long DeliveryId)> UndeliveredAsync(MatrixWorld w)
    {
        var appId = await w.NewAppAsync(complete: true);
        (await w.Owner.Client.PutAsJsonAsync($"/api/open/apps/{appId}/gateway", new UrlText(NotifyUrl))).EnsureSuccessStatusCode();
        (await w.Owner.Client.PutAsJsonAsync($"/api/open/apps/{appId}/subscriptions", new MethodList([MemberFieldCatalogue.FieldChangedMethod]))).EnsureSuccessStatusCode();
        await w.ApproveAsync(await w.ApplyAsync(appId));
        var rows = await w.Owner.Client.GetAsync<JsonElement>($"/api/open/notifications?appId={appId}");
        var id = rows.EnumerateArray().First().GetProperty("id").GetInt64();
        // The worker keeps retrying it (test retry delays are fractions of a second) and 立即重推 refuses a row whose
        // attempt is in flight; park it as given up, at a moment no worker holds it, so the retry rows are deterministic.
        var db = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IDbContextFactory<Touchpoint.Server.Infrastructure.TouchpointDb>>(w.F.Services);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await using var ctx = await db.CreateDbContextAsync();
            var parked = await ctx.NotificationDeliveries.Where(d => d.Id == id && d.ClaimedUntilUtc == null)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.Status, DeliveryStatus.GaveUp));
            if (parked == 1)
            {
                return (appId, id);
            }
            Assert.True(DateTime.UtcNow < deadline, "the notification stayed claimed");
            await Task.Delay(20);
        }
    }
}
