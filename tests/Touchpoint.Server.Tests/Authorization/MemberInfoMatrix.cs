using System.Text.Json;
using Touchpoint.Server.Apps;
using Touchpoint.Server.Tests.Infrastructure;
using static Touchpoint.Server.Tests.Authorization.Rel;
using static Touchpoint.Server.Tests.Authorization.RowContext;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>用户信息申请 (R15, R30): the app's merchant applies; the operator reviews; the two of them see the application and its samples (404 to others).</summary>
public static class MemberInfoMatrix
{
    public static readonly IReadOnlyList<Row> Rows =
    [
        //  method  pattern                                          relation         status
        new("GET",  "/api/member-info/applications",                 Owner,           200),
        new("GET",  "/api/member-info/applications",                 OtherMerchant,   200),  // asking for the owner's app: none
        new("GET",  "/api/member-info/applications",                 Operator,        200),
        new("GET",  "/api/member-info/applications",                 Anonymous,       401),
        new("GET",  "/api/member-info/applications/{id:long}",       Owner,           200),
        new("GET",  "/api/member-info/applications/{id:long}",       Operator,        200),
        new("GET",  "/api/member-info/applications/{id:long}",       OtherMerchant,   404),
        new("GET",  "/api/member-info/applications/{id:long}",       ServiceProvider, 404),
        new("GET",  "/api/member-info/applications/{id:long}",       Anonymous,       401),
        new("POST", "/api/member-info/applications/{id:long}/approve", Operator,      204),
        new("POST", "/api/member-info/applications/{id:long}/approve", Owner,         403),  // not its own application either
        new("POST", "/api/member-info/applications/{id:long}/approve", OtherMerchant, 403),
        new("POST", "/api/member-info/applications/{id:long}/approve", Anonymous,     401),
        new("POST", "/api/member-info/applications/{id:long}/reject", Operator,       204),
        new("POST", "/api/member-info/applications/{id:long}/reject", Owner,          403),
        new("POST", "/api/member-info/applications/{id:long}/reject", Anonymous,      401),
        new("GET",  "/api/member-info/media/{id:long}",              Owner,           200),
        new("GET",  "/api/member-info/media/{id:long}",              Operator,        200),
        new("GET",  "/api/member-info/media/{id:long}",              OtherMerchant,   404),
        new("GET",  "/api/member-info/media/{id:long}",              Anonymous,       401),
        new("POST", "/api/member-info/apps/{appId}/applications",    Owner,           200),
        new("POST", "/api/member-info/apps/{appId}/applications",    OtherMerchant,   404),
        new("POST", "/api/member-info/apps/{appId}/applications",    ServiceProvider, 404),
        new("POST", "/api/member-info/apps/{appId}/applications",    Operator,        404),
        new("POST", "/api/member-info/apps/{appId}/applications",    Anonymous,       401),
    ];

    public static readonly IReadOnlyDictionary<string, Arrange> Arrangements = new Dictionary<string, Arrange>
    {
        ["GET /api/member-info/applications"] = async c =>
        {
            var appId = await c.W.NewAppAsync(complete: true);
            var id = await c.W.ApplyAsync(appId);
            return Get($"/api/member-info/applications?appId={appId}", OwnershipMatrix.Lists(c, id, Owner, Operator));
        },
        ["GET /api/member-info/applications/{id:long}"] = async c => Get($"/api/member-info/applications/{await ApplicationAsync(c.W)}"),
        ["POST /api/member-info/applications/{id:long}/approve"] = async c => Empty($"/api/member-info/applications/{await ApplicationAsync(c.W)}/approve"),
        ["POST /api/member-info/applications/{id:long}/reject"] = async c =>
            Json($"/api/member-info/applications/{await ApplicationAsync(c.W)}/reject", new RejectReason("示例图片未展示授权流程")),
        ["GET /api/member-info/media/{id:long}"] = async c =>
        {
            var detail = await c.W.Owner.Client.GetAsync<JsonElement>($"/api/member-info/applications/{await ApplicationAsync(c.W)}");
            return Get($"/api/member-info/media/{detail.GetProperty("media")[0].GetProperty("id").GetInt64()}");
        },
        ["POST /api/member-info/apps/{appId}/applications"] = async c =>
            new Call($"/api/member-info/apps/{await c.W.NewAppAsync(complete: true)}/applications",
                OpenPlatformScenario.ConsoleApplicationForm(OpenPlatformScenario.MobileApplication(), OpenPlatformScenario.Png())),
    };

    private static async Task<long> ApplicationAsync(MatrixWorld w) => await w.ApplyAsync(await w.NewAppAsync(complete: true));
}
