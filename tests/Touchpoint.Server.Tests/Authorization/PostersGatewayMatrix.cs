using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Grants;
using Touchpoint.Sdk;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.Posters;
using Touchpoint.Server.Tests.Infrastructure;
using static Touchpoint.Server.Tests.Authorization.Caller;
using static Touchpoint.Server.Tests.Authorization.GatewayCodes;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>
/// The advertiser methods place posters as the console does: the material is the caller's (its library), every device
/// needs 海报投放 (the owner's own, or the merchant's grant to the provider acting for it) and 管理员模式; a plan is seen,
/// narrowed and cancelled by the account that made it — another account's plan id does not exist for the caller.
/// </summary>
public static class PostersGatewayMatrix
{
    private const string Material = "alipay.commerce.iot.advertiser.material.create";
    private const string AdCreate = "alipay.commerce.iot.advertiser.ad.create";
    private const string AdModify = "alipay.commerce.iot.advertiser.ad.modify";
    private const string AdCancel = "alipay.commerce.iot.advertiser.ad.cancel";
    private const string AdQuery = "alipay.commerce.iot.advertiser.ad.query";
    private const string AdBatch = "alipay.commerce.iot.advertiser.ad.batchquery";

    private const string NotExist = "isv.resource-not-exist";
    private const string Failed = "isv.business-failed";

    private const string NoFile = "no file_content";
    private const string NotAnImage = "a file that is not an image";
    private const string OtherMerchantsDevice = "another merchant's device";
    private const string NotInAdminMode = "the merchant's device with 管理员模式 off";
    private const string SlotsFull = "a device whose three merchant slots are taken";
    private const string BadEvent = "an event other than idle";
    private const string OthersMaterial = "a material of another account's library";
    private const string Granted = "device the merchant granted to the provider with 海报投放";
    private const string GrantedOther = "device granted to the provider without 海报投放";
    private const string NotGranted = "merchant's device, not granted to the provider";
    private const string MerchantsPlan = "a plan the merchant created itself";
    private const string OnBehalfPlan = "a plan the provider created on the merchant's behalf";
    private const string OthersPlan = "another merchant's plan";
    private const string ForAnotherMerchant = "a plan the provider made for another merchant";

    public static readonly IReadOnlyList<GatewayRow> Rows =
    [
        //  method     caller      code          sub_code                 case
        new(Material,  OwnApp,     Ok),
        new(Material,  OnBehalf,   Ok),
        new(Material,  OwnApp,     Missing,      "isv.missing-parameter", NoFile),
        new(Material,  OwnApp,     Business,     Failed,                  NotAnImage),
        new(Material,  UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(Material,  Unsigned,   Missing,      "isv.missing-signature"),
        new(AdCreate,  OwnApp,     Ok),
        new(AdCreate,  OwnApp,     Insufficient, NoPermission,            OtherMerchantsDevice),
        new(AdCreate,  OwnApp,     Insufficient, NoPermission,            NotInAdminMode),   // 管理员模式 is the owner's consent to batch placement
        new(AdCreate,  OwnApp,     Business,     Failed,                  SlotsFull),
        new(AdCreate,  OwnApp,     Business,     Failed,                  BadEvent),
        new(AdCreate,  OwnApp,     Business,     NotExist,                OthersMaterial),
        new(AdCreate,  OnBehalf,   Ok,           null,                    Granted),
        new(AdCreate,  OnBehalf,   Insufficient, NoPermission,            GrantedOther),
        new(AdCreate,  OnBehalf,   Insufficient, NoPermission,            NotGranted),
        new(AdCreate,  UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(AdCreate,  Unsigned,   Missing,      "isv.missing-signature"),
        new(AdModify,  OwnApp,     Ok,           null,                    MerchantsPlan),
        new(AdModify,  OnBehalf,   Ok,           null,                    OnBehalfPlan),
        new(AdModify,  OnBehalf,   Business,     NotExist,                MerchantsPlan),
        new(AdModify,  OwnApp,     Business,     NotExist,                OthersPlan),
        new(AdModify,  UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(AdModify,  Unsigned,   Missing,      "isv.missing-signature"),
        new(AdCancel,  OwnApp,     Ok,           null,                    MerchantsPlan),
        new(AdCancel,  OnBehalf,   Ok,           null,                    OnBehalfPlan),
        new(AdCancel,  OnBehalf,   Business,     NotExist,                MerchantsPlan),
        new(AdCancel,  OwnApp,     Business,     NotExist,                OthersPlan),
        new(AdCancel,  UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(AdCancel,  Unsigned,   Missing,      "isv.missing-signature"),
        new(AdQuery,   OwnApp,     Ok,           null,                    MerchantsPlan),
        new(AdQuery,   OnBehalf,   Ok,           null,                    OnBehalfPlan),
        new(AdQuery,   OnBehalf,   Business,     NotExist,                MerchantsPlan),
        new(AdQuery,   OwnApp,     Business,     NotExist,                OthersPlan),
        new(AdQuery,   OnBehalf,   Business,     NotExist,                ForAnotherMerchant),  // the token names the merchant: the provider's other merchants' plans are not there
        new(AdQuery,   UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(AdQuery,   Unsigned,   Missing,      "isv.missing-signature"),
        new(AdBatch,   OwnApp,     Ok),
        new(AdBatch,   OnBehalf,   Ok),
        new(AdBatch,   UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(AdBatch,   Unsigned,   Missing,      "isv.missing-signature"),
    ];

    /// <summary>A device per the row's case, in 管理员模式 unless the case says otherwise.</summary>
    private static async Task<string> DeviceAsync(GatewayRowContext g)
    {
        string sn;
        if (g.Is(OtherMerchantsDevice))
        {
            sn = (await g.W.SubmitAsync(g.W.Other, 1, decide: true)).Sns[0];
        }
        else
        {
            sn = await g.W.OwnedDeviceAsync();
            if (g.Is(Granted))
            {
                await g.W.GrantAsync(sn, GrantPermissions.Poster);
            }
            else if (g.Is(GrantedOther))
            {
                await g.W.GrantAsync(sn, GrantPermissions.All & ~GrantPermissions.Poster);
            }
        }
        if (!g.Is(NotInAdminMode))
        {
            await AdminModeAsync(g.W, sn);
        }
        return sn;
    }

    private static async Task AdminModeAsync(MatrixWorld w, string sn)
    {
        await using var db = await w.F.Services.GetRequiredService<IDbContextFactory<TouchpointDb>>().CreateDbContextAsync();
        await db.Devices.Where(d => d.Sn == sn).ExecuteUpdateAsync(u => u.SetProperty(d => d.PosterAdminMode, true));
    }

    /// <summary>The material for the row: the calling account's own (the provider's for on-behalf rows), or another's.</summary>
    private static async Task<long> MaterialAsync(GatewayRowContext g) =>
        (await (g.Is(OthersMaterial) ? g.W.Other : g.Caller == OnBehalf ? g.W.Grantee : g.W.Owner).NewPosterAsync("矩阵物料")).Id;

    private static Actor ActorOf(TestAccount account, TestAccount? forMerchant = null) =>
        new(account.Id, forMerchant is null ? AccountRole.Merchant : AccountRole.ServiceProvider, account.Name) { OnBehalfOfId = forMerchant?.Id };

    /// <summary>A plan made straight through the service, by the merchant, by the provider for the merchant, or by another merchant.</summary>
    private static async Task<PosterAdView> PlanAsync(GatewayRowContext g)
    {
        var ads = g.W.F.Services.GetRequiredService<PosterAds>();
        TestAccount maker;
        Actor actor;
        string sn;
        if (g.Is(ForAnotherMerchant))
        {
            (maker, sn) = (g.W.Grantee, (await g.W.SubmitAsync(g.W.Other, 1, decide: true)).Sns[0]);
            await g.W.Other.Client.PostAsync<Touchpoint.Server.Grants.GrantSummary>("/api/grants",
                new Touchpoint.Server.Grants.NewGrant(null, g.W.Grantee.Login, [sn], GrantPermissions.Poster));
            actor = ActorOf(maker, g.W.Other);
        }
        else if (g.Is(OthersPlan))
        {
            (maker, sn) = (g.W.Other, (await g.W.SubmitAsync(g.W.Other, 1, decide: true)).Sns[0]);
            actor = ActorOf(maker);
        }
        else if (g.Is(OnBehalfPlan))
        {
            (maker, sn) = (g.W.Grantee, await g.W.OwnedDeviceAsync());
            await g.W.GrantAsync(sn, GrantPermissions.Poster);
            actor = ActorOf(maker, g.W.Owner);
        }
        else
        {
            (maker, sn) = (g.W.Owner, await g.W.OwnedDeviceAsync());
            actor = ActorOf(maker);
        }
        await AdminModeAsync(g.W, sn);
        var poster = await maker.NewPosterAsync("矩阵计划");
        return await ads.CreateAsync(actor, new NewPosterAd([sn], null, "idle", poster.Id, "矩阵计划", null, null), default);
    }

    public static readonly IReadOnlyDictionary<string, ArrangeGateway> Arrangements = new Dictionary<string, ArrangeGateway>
    {
        [Material] = async g => g.Is(NoFile) ? await g.FreshAsync(new { })
            : await g.FreshAsync(new { }, [new OpenApiFile("file_content", g.Is(NotAnImage) ? "notes.png" : "matrix.png",
                g.Is(NotAnImage) ? "not an image"u8.ToArray() : TestImages.Png(300), "image/png")]),
        [AdCreate] = async g =>
        {
            var sn = await DeviceAsync(g);
            if (g.Is(SlotsFull))
            {
                foreach (var n in Enumerable.Range(1, 3))
                {
                    (await g.W.Owner.Client.PlaceAsync((await g.W.Owner.NewPosterAsync($"占位{n}")).Id, [sn])).EnsureSuccessStatusCode();
                }
            }
            return await g.SharedAsync(new
            {
                device_sn_list = new[] { sn }, device_type = "FACE_DEVICE", @event = g.Is(BadEvent) ? "pay_result" : "idle",
                material_id = await MaterialAsync(g), plan_name = "矩阵投放计划", start_time = "2026-01-01 00:00:00", end_time = "2099-01-01 00:00:00",
            });
        },
        [AdModify] = async g =>
        {
            var plan = await PlanAsync(g);
            return await g.SharedAsync(new { id = plan.Id, delete_sn_list = plan.Sns });
        },
        [AdCancel] = async g => await g.SharedAsync(new { id = (await PlanAsync(g)).Id }),
        [AdQuery] = async g => await g.SharedAsync(new { id = (await PlanAsync(g)).Id }),
        [AdBatch] = async g => await g.SharedAsync(new { page_num = 1, page_size = 20 }),
    };
}
