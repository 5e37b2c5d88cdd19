using Touchpoint.Core.Distribution;
using Touchpoint.Core.Grants;
using Touchpoint.Server.Tests.Infrastructure;
using static Touchpoint.Server.Tests.Authorization.Caller;
using static Touchpoint.Server.Tests.Authorization.GatewayCodes;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>
/// The distribution methods act as the app's owner, or on behalf under the merchant's grants to the provider: a task needs
/// 应用分发 on every device; a task is seen and operated by its creator (or the merchant it ran for); diagnosis needs 应用分发 too.
/// </summary>
public static class DistributionGatewayMatrix
{
    private const string UpgradeCreate = "alipay.commerce.iot.device.upgradeapp.create";
    private const string TaskCreate = "alipay.commerce.iot.device.apptask.create";
    private const string TaskQuery = "alipay.commerce.iot.device.apptask.query";
    private const string DetailQuery = "alipay.commerce.iot.device.apptask.detail.batchquery";
    private const string TaskOperate = "alipay.commerce.iot.device.apptask.operate";
    private const string Diagnose = "alipay.commerce.iot.device.appdistribution.diagnose";

    private const string NotExist = "isv.resource-not-exist";

    private const string OtherMerchantsDevice = "another merchant's device";
    private const string Granted = "device the merchant granted to the provider with 应用分发";
    private const string GrantedOther = "device granted to the provider without 应用分发";
    private const string NotGranted = "merchant's device, not granted to the provider";
    private const string ProvidersOwnDevice = "the provider's own device";
    private const string MerchantsTask = "a task the merchant created itself";
    private const string OnBehalfTask = "a task the provider created on the merchant's behalf";
    private const string NoSn = "no sn";

    public static readonly IReadOnlyList<GatewayRow> Rows =
    [
        //  method         caller      code          sub_code            case
        new(UpgradeCreate, OwnApp,     Ok),
        new(UpgradeCreate, OwnApp,     Missing,      "isv.missing-parameter", NoSn),
        new(UpgradeCreate, OwnApp,     Insufficient, NoPermission,       OtherMerchantsDevice),
        new(UpgradeCreate, OnBehalf,   Ok,           null,               Granted),
        new(UpgradeCreate, OnBehalf,   Insufficient, NoPermission,       GrantedOther),
        new(UpgradeCreate, OnBehalf,   Insufficient, NoPermission,       NotGranted),
        new(UpgradeCreate, OnBehalf,   Insufficient, NoPermission,       ProvidersOwnDevice),
        new(UpgradeCreate, UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(UpgradeCreate, Unsigned,   Missing,      "isv.missing-signature"),
        new(TaskCreate,    OwnApp,     Ok),
        new(TaskCreate,    OwnApp,     Insufficient, NoPermission,       OtherMerchantsDevice),
        new(TaskCreate,    OnBehalf,   Ok,           null,               Granted),
        new(TaskCreate,    OnBehalf,   Insufficient, NoPermission,       GrantedOther),
        new(TaskCreate,    UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(TaskCreate,    Unsigned,   Missing,      "isv.missing-signature"),
        new(TaskQuery,     OwnApp,     Ok,           null,               MerchantsTask),
        new(TaskQuery,     OnBehalf,   Ok,           null,               OnBehalfTask),
        new(TaskQuery,     OnBehalf,   Business,     NotExist,           MerchantsTask),
        new(TaskQuery,     OwnApp,     Business,     NotExist,           "another merchant's task"),
        new(TaskQuery,     UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(TaskQuery,     Unsigned,   Missing,      "isv.missing-signature"),
        new(DetailQuery,   OwnApp,     Ok,           null,               MerchantsTask),
        new(DetailQuery,   OnBehalf,   Business,     NotExist,           MerchantsTask),
        new(DetailQuery,   UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(DetailQuery,   Unsigned,   Missing,      "isv.missing-signature"),
        new(TaskOperate,   OwnApp,     Ok,           null,               MerchantsTask),
        new(TaskOperate,   OnBehalf,   Ok,           null,               OnBehalfTask),
        new(TaskOperate,   OnBehalf,   Business,     NotExist,           MerchantsTask),
        new(TaskOperate,   UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(TaskOperate,   Unsigned,   Missing,      "isv.missing-signature"),
        new(Diagnose,      OwnApp,     Ok),
        new(Diagnose,      OwnApp,     Insufficient, NoPermission,       OtherMerchantsDevice),
        new(Diagnose,      OnBehalf,   Ok,           null,               Granted),
        new(Diagnose,      OnBehalf,   Insufficient, NoPermission,       GrantedOther),  // a distribution question needs 应用分发
        new(Diagnose,      OnBehalf,   Insufficient, NoPermission,       NotGranted),
        new(Diagnose,      UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(Diagnose,      Unsigned,   Missing,      "isv.missing-signature"),
    ];

    /// <summary>A device per the row's case (the merchant is the matrix's owner; the provider its grantee).</summary>
    private static async Task<string> DeviceAsync(GatewayRowContext g)
    {
        if (g.Is(OtherMerchantsDevice))
        {
            return (await g.W.SubmitAsync(g.W.Other, 1, decide: true)).Sns[0];
        }
        if (g.Is(ProvidersOwnDevice))
        {
            return (await g.W.SubmitAsync(g.W.Grantee, 1, decide: true)).Sns[0];
        }
        var sn = await g.W.OwnedDeviceAsync();
        if (g.Is(Granted))
        {
            await g.W.GrantAsync(sn, GrantPermissions.AppDistribution);
        }
        else if (g.Is(GrantedOther))
        {
            await g.W.GrantAsync(sn, GrantPermissions.All & ~GrantPermissions.AppDistribution);
        }
        return sn;
    }

    /// <summary>An open light app of the owner (the provider finds open apps by ID), with a version.</summary>
    private static async Task<string> AppAsync(GatewayRowContext g) => (await DistributionMatrix.AppAsync(g.W, open: true)).AppId;

    /// <summary>A task, created by the merchant in its console, by the provider's app on its behalf, or by another merchant.</summary>
    private static async Task<string> TaskIdAsync(GatewayRowContext g)
    {
        if (g.Is(OnBehalfTask))
        {
            var sn = await g.W.OwnedDeviceAsync();
            await g.W.GrantAsync(sn, GrantPermissions.AppDistribution);
            var app = await AppAsync(g);
            var shared = await g.SharedAsync(new { action = "install", app_id = app, sn_list = new[] { sn }, start = "false" });
            using var client = g.W.Gateway(shared.ThirdParty!);
            var answer = await client.ExecuteAsync(TaskCreate, shared.Biz, shared.Token);
            return answer.Text("task_id") ?? throw new InvalidOperationException($"no task created: {answer.RawBody}");
        }
        if (g.Is("another merchant's task"))
        {
            var other = await g.W.Other.CreateTaskAsync(DistributionAction.Restart, null, null, [(await g.W.SubmitAsync(g.W.Other, 1, decide: true)).Sns[0]], start: false);
            return other.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var task = await DistributionMatrix.TaskAsync(g.W, start: false);
        return task.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public static readonly IReadOnlyDictionary<string, ArrangeGateway> Arrangements = new Dictionary<string, ArrangeGateway>
    {
        [UpgradeCreate] = async g => g.Is(NoSn)
            ? await g.SharedAsync(new { target_app_id = await AppAsync(g) })
            : await g.SharedAsync(new { sn = new[] { await DeviceAsync(g) }, target_app_id = await AppAsync(g), remark = "矩阵" }),
        [TaskCreate] = async g => await g.SharedAsync(new { action = "install", app_id = await AppAsync(g), sn_list = new[] { await DeviceAsync(g) }, start = "false" }),
        [TaskQuery] = async g => await g.SharedAsync(new { task_id = await TaskIdAsync(g) }),
        [DetailQuery] = async g => await g.SharedAsync(new { task_id = await TaskIdAsync(g) }),
        [TaskOperate] = async g => await g.SharedAsync(new { task_id = await TaskIdAsync(g), operation = "CANCEL" }),
        [Diagnose] = async g => await g.SharedAsync(new { sn = await DeviceAsync(g), app_id = await AppAsync(g) }),
    };
}
