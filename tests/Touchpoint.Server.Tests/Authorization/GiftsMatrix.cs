using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Core.Gifts;
using Touchpoint.Core.Grants;
using Touchpoint.Server.Gifts;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Tests.Infrastructure;
using static Touchpoint.Server.Tests.Authorization.Rel;
using static Touchpoint.Server.Tests.Authorization.RowContext;
using static Touchpoint.Server.Tests.Authorization.GatewayCodes;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>
/// 刷脸有礼: a gift is the merchant's. The owner sets one up for all its devices or some; a provider only for the
/// merchant's devices it holds 海报投放 on, picked by SN (the success page is screen content, as posters are). The owner
/// sees and changes every gift on its devices, a provider the ones it made; the operator reads them all and changes none.
/// The runtime's claim and card bag are the simulated member's, like the rest of /runtime.
/// </summary>
public static class GiftsMatrix
{
    private const string List = "/api/gifts/";
    private const string One = "/api/gifts/{id:long}";
    private const string Stop = "/api/gifts/{id:long}/stop";
    private const string Apps = "/api/gifts/mini-apps";
    private const string Claim = "/runtime/terminals/{sn}/claim";
    private const string Coupons = "/runtime/members/{userId}/coupons";

    private const string AllDevices = "scope: all devices";
    private const string Unknown = "unknown device or member";

    public static readonly IReadOnlyList<Row> Rows =
    [
        //  method  pattern  relation                  status  case
        new("GET",  List,    Owner,                    200),
        new("GET",  List,    GranteeWithPermission,    200),  // the gifts it made
        new("GET",  List,    Operator,                 200),
        new("GET",  List,    Manufacturer,             200),  // none
        new("GET",  List,    Anonymous,                401),
        new("POST", List,    Owner,                    200),
        new("POST", List,    Owner,                    200,    AllDevices),
        new("POST", List,    GranteeWithPermission,    200),  // picked devices granted with 海报投放
        new("POST", List,    GranteeWithPermission,    403,    AllDevices),  // a provider picks devices
        new("POST", List,    GranteeWithoutPermission, 403),
        new("POST", List,    OtherMerchant,            403),
        new("POST", List,    Rel.ServiceProvider,      403),
        new("POST", List,    Manufacturer,             403),
        new("POST", List,    Operator,                 403),
        new("POST", List,    Anonymous,                401),
        new("GET",  One,     Owner,                    200),
        new("GET",  One,     GranteeWithPermission,    200),  // its own gift
        new("GET",  One,     OtherMerchant,            404),
        new("GET",  One,     Operator,                 200),
        new("GET",  One,     Anonymous,                401),
        new("PUT",  One,     Owner,                    200),
        new("PUT",  One,     GranteeWithPermission,    200),  // its own gift
        new("PUT",  One,     OtherMerchant,            404),
        new("PUT",  One,     Operator,                 403),
        new("PUT",  One,     Anonymous,                401),
        new("POST", Stop,    Owner,                    200),  // also a provider's gift on its devices
        new("POST", Stop,    GranteeWithPermission,    404),  // the owner's own gift is not the provider's
        new("POST", Stop,    OtherMerchant,            404),
        new("POST", Stop,    Operator,                 403),
        new("POST", Stop,    Anonymous,                401),
        new("GET",  Apps,    Owner,                    200),
        new("GET",  Apps,    Anonymous,                401),
        new("POST", Claim,   Anonymous,                200),
        new("POST", Claim,   Anonymous,                404,    Unknown),
        new("GET",  Coupons, Anonymous,                200),
        new("GET",  Coupons, Anonymous,                404,    Unknown),
        new("GET",  "/operations/gifts", Owner,                 200),
        new("GET",  "/operations/gifts", GranteeWithPermission, 200),
        new("GET",  "/operations/gifts", Operator,              200),
        new("GET",  "/operations/gifts", Anonymous,             302),
        new("POST", "/operations/gifts", Owner,                 400),
        new("POST", "/operations/gifts", Anonymous,             302),
    ];

    private static GiftEdit Coupon(IReadOnlyList<string>? sns) =>
        new("矩阵礼品", GiftKind.Coupon, "5.00", "50.00", 30, 10, Scope: sns is null ? GiftScope.All : GiftScope.Picked, Sns: sns);

    /// <summary>The edit the row's caller sends: its picked device (granted as the row needs), or all devices.</summary>
    private static async Task<GiftEdit> EditAsync(RowContext c) => c.Is(AllDevices) ? Coupon(null) : Coupon([await c.DeviceAsync(GrantPermissions.Poster)]);

    /// <summary>A gift the owner set up, or — for the provider with 海报投放 — one the provider set up on its granted device.</summary>
    private static async Task<GiftView> GiftAsync(RowContext c, bool providersOwn)
    {
        if (providersOwn && c.Rel == GranteeWithPermission)
        {
            return await c.W.Grantee.Client.PostAsync<GiftView>("/api/gifts", Coupon([await c.DeviceAsync(GrantPermissions.Poster)]));
        }
        return await c.W.Owner.Client.PostAsync<GiftView>("/api/gifts", Coupon([await c.W.OwnedDeviceAsync()]));
    }

    public static readonly IReadOnlyDictionary<string, Arrange> Arrangements = new Dictionary<string, Arrange>
    {
        [$"GET {List}"] = _ => Task.FromResult(Get("/api/gifts")),
        [$"GET {Apps}"] = _ => Task.FromResult(Get(Apps)),
        [$"POST {List}"] = async c => Json("/api/gifts", await EditAsync(c)),
        [$"GET {One}"] = async c => Get($"/api/gifts/{(await GiftAsync(c, providersOwn: true)).Id}"),
        [$"PUT {One}"] = async c =>
        {
            var gift = await GiftAsync(c, providersOwn: true);
            return Json($"/api/gifts/{gift.Id}", gift.Edit with { Name = "矩阵礼品（改）" });
        },
        [$"POST {Stop}"] = async c => Json($"/api/gifts/{(await GiftAsync(c, providersOwn: false)).Id}/stop", new { }),
        [$"POST {Claim}"] = async c =>
        {
            if (c.Is(Unknown))
            {
                return Json($"/runtime/terminals/{Scenario.NewSn()}/claim", new { });
            }
            var sn = await c.W.OwnedDeviceAsync();
            var gift = await GiftAsync(c, providersOwn: false);
            await using var db = await c.W.F.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync();
            var device = await db.Devices.Where(d => d.Sn == sn).Select(d => d.Id).SingleAsync();
            var member = await db.Members.Where(m => m.UserId == MatrixWorld.MemberUserId).Select(m => m.Id).SingleAsync();
            db.GiftImpressions.Add(new GiftImpression { GiftId = gift.Id, TradeId = 0, DeviceId = device, MemberId = member, AtUtc = DateTime.UtcNow });
            await db.SaveChangesAsync();
            return Json($"/runtime/terminals/{sn}/claim", new { });
        },
        [$"GET {Coupons}"] = c => Task.FromResult(Get($"/runtime/members/{(c.Is(Unknown) ? "2088000000000000" : MatrixWorld.MemberUserId)}/coupons")),
        ["GET /operations/gifts"] = _ => Task.FromResult(Get("/operations/gifts", PublicMatrix.RedirectsTo("/login"))),
        ["POST /operations/gifts"] = _ => Task.FromResult(new Call("/operations/gifts", new FormUrlEncodedContent([]), PublicMatrix.RedirectsTo("/login"))),
    };
}

/// <summary>
/// alipay.marketing.iot.merchantplan.createormodify acts as the console does: an app's own call sets up the merchant's
/// gift for all its devices; on behalf, a provider's only for the devices the merchant granted it with 海报投放, listed.
/// A plan id of another account does not exist for the caller.
/// </summary>
public static class GiftsGatewayMatrix
{
    private const string Plan = "alipay.marketing.iot.merchantplan.createormodify";


    private const string Modify = "MODIFY a plan the caller made";
    private const string ModifyOthers = "MODIFY another merchant's plan";
    private const string BadType = "an unknown resource_type";
    private const string NoAction = "no action";
    private const string BadTerms = "a threshold below the voucher's amount";
    private const string Granted = "device the merchant granted to the provider with 海报投放";
    private const string GrantedOther = "device granted to the provider without 海报投放";
    private const string NoDevices = "no device_sn_list (all devices)";

    public static readonly IReadOnlyList<GatewayRow> Rows =
    [
        new(Plan, Caller.OwnApp,     Ok),
        new(Plan, Caller.OwnApp,     Ok,           null,                    Modify),
        new(Plan, Caller.OwnApp,     Business,     "isv.resource-not-exist", ModifyOthers),
        new(Plan, Caller.OwnApp,     Invalid,      "isv.invalid-parameter", BadType),
        new(Plan, Caller.OwnApp,     Missing,      "isv.missing-parameter", NoAction),
        new(Plan, Caller.OwnApp,     Business,     "isv.business-failed",   BadTerms),
        new(Plan, Caller.OnBehalf,   Ok,           null,                    Granted),
        new(Plan, Caller.OnBehalf,   Insufficient, NoPermission,            GrantedOther),
        new(Plan, Caller.OnBehalf,   Insufficient, NoPermission,            NoDevices),
        new(Plan, Caller.UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(Plan, Caller.Unsigned,   Missing,      "isv.missing-signature"),
    ];

    private static string Voucher(string threshold = "50.00") =>
        System.Text.Json.JsonSerializer.Serialize(new { name = "矩阵券", amount = "5.00", threshold, valid_days = 30, stock = 100 });

    public static readonly IReadOnlyDictionary<string, ArrangeGateway> Arrangements = new Dictionary<string, ArrangeGateway>
    {
        [Plan] = async g =>
        {
            if (g.Is(Modify) || g.Is(ModifyOthers))
            {
                var maker = g.Is(ModifyOthers) ? g.W.Other : g.W.Owner;
                var gift = await maker.Client.PostAsync<GiftView>("/api/gifts", new GiftEdit("矩阵计划", GiftKind.Coupon, "5.00", "50.00", 30));
                return await g.SharedAsync(new { action = "MODIFY", plan_id = gift.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    resource_type = "IOT_MERCHANT_VOUCHER", resource_content = Voucher() });
            }
            if (g.Caller == Caller.OnBehalf && !g.Is(NoDevices))
            {
                var sn = await g.W.OwnedDeviceAsync();
                await g.W.GrantAsync(sn, g.Is(Granted) ? GrantPermissions.Poster : GrantPermissions.All & ~GrantPermissions.Poster);
                return await g.SharedAsync(new { action = "CREATE", space_code = "FACE_PAY_SUCCESS", resource_type = "IOT_MERCHANT_VOUCHER", resource_content = Voucher(),
                    device_sn_list = new[] { sn } });
            }
            return await g.SharedAsync(new
            {
                action = g.Is(NoAction) ? null : "CREATE", space_code = "FACE_PAY_SUCCESS", resource_type = g.Is(BadType) ? "RED_PACKET" : "IOT_MERCHANT_VOUCHER",
                resource_content = Voucher(g.Is(BadTerms) ? "3.00" : "50.00"), min_amount = "10.00", times_per_member = 1,
            });
        },
    };
}
