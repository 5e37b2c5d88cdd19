using Touchpoint.Core.Grants;
using Touchpoint.Server.Broadcasts;
using Touchpoint.Server.Tests.Infrastructure;
using static Touchpoint.Server.Tests.Authorization.Rel;
using static Touchpoint.Server.Tests.Authorization.RowContext;
using static Touchpoint.Server.Tests.Authorization.GatewayCodes;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>
/// 播报运营: a terminal's 到账播报 setting is seen by whoever sees the device (any grant, the operator) and changed only
/// by the owner or a grantee holding 播报运营; the operator does not speak through merchants' terminals.
/// </summary>
public static class BroadcastsMatrix
{
    private const string Announcement = "/api/devices/{sn}/announcement";
    private const string Plays = "/api/devices/{sn}/voice-plays";
    private const string Voices = "/api/voice/";
    private const string Send = "/api/voice/{id:long}/send";
    private const string Voice = "/api/voice/{id:long}";
    private const string OffDevice = "/api/voice/{id:long}/devices/{sn}";
    private const string Group = "/api/voice/devices";

    public static readonly IReadOnlyList<Row> Rows =
    [
        //  method  pattern        relation                  status
        new("GET",  Announcement,  Owner,                    200),
        new("GET",  Announcement,  GranteeWithPermission,    200),  // any grant sees it
        new("GET",  Announcement,  GranteeWithoutPermission, 403),  // its grant was revoked
        new("GET",  Announcement,  OtherMerchant,            403),
        new("GET",  Announcement,  Operator,                 200),
        new("GET",  Announcement,  Anonymous,                401),
        new("PUT",  Announcement,  Owner,                    200),
        new("PUT",  Announcement,  GranteeWithPermission,    200),  // 播报运营
        new("PUT",  Announcement,  GranteeWithoutPermission, 403),  // every permission but 播报运营
        new("PUT",  Announcement,  OtherMerchant,            403),
        new("PUT",  Announcement,  Operator,                 403),
        new("PUT",  Announcement,  Anonymous,                401),
        new("GET",  Plays,         Owner,                    200),
        new("GET",  Plays,         GranteeWithPermission,    200),  // what the terminal said: viewing
        new("GET",  Plays,         GranteeWithoutPermission, 403),  // its grant was revoked
        new("GET",  Plays,         OtherMerchant,            403),
        new("GET",  Plays,         Operator,                 200),
        new("GET",  Plays,         Anonymous,                401),
        new("GET",  Voices,        Owner,                    200),
        new("GET",  Voices,        GranteeWithPermission,    200),  // its own messages
        new("GET",  Voices,        Anonymous,                401),
        new("GET",  Group,         Owner,                    200),  // lists its device
        new("GET",  Group,         GranteeWithPermission,    200),  // lists the device granted with 播报运营
        new("GET",  Group,         GranteeWithoutPermission, 200),  // lists none
        new("GET",  Group,         OtherMerchant,            200),  // lists none
        new("GET",  Group,         Anonymous,                401),
        new("POST", Voices,        Owner,                    200),
        new("POST", Voices,        GranteeWithPermission,    200),
        new("POST", Voices,        Manufacturer,             403),
        new("POST", Voices,        Anonymous,                401),
        new("POST", Send,          Owner,                    200),
        new("POST", Send,          GranteeWithPermission,    200),  // its message, 播报运营 on the device
        new("POST", Send,          GranteeWithoutPermission, 403),  // every permission but 播报运营
        new("POST", Send,          OtherMerchant,            403),  // its message, the owner's device
        new("POST", Send,          Operator,                 403),
        new("POST", Send,          Anonymous,                401),
        new("DELETE", Voice,       Owner,                    204),
        new("DELETE", Voice,       OtherMerchant,            404),  // the owner's message
        new("DELETE", Voice,       Anonymous,                401),
        new("DELETE", OffDevice,   Owner,                    204),  // the provider's message off the owner's terminal: the owner keeps control
        new("DELETE", OffDevice,   GranteeWithPermission,    204),  // its own message, 播报运营 on the device
        new("DELETE", OffDevice,   GranteeWithoutPermission, 403),
        new("DELETE", OffDevice,   OtherMerchant,            403),
        new("DELETE", OffDevice,   Anonymous,                401),
        new("GET",  "/operations/voice", Owner,                 200),
        new("GET",  "/operations/voice", GranteeWithPermission, 200),
        new("GET",  "/operations/voice", Anonymous,             302),
        new("POST", "/operations/voice", Owner,                 400),
        new("POST", "/operations/voice", Anonymous,             302),
    ];

    /// <summary>A voice message of the row's caller (the owner's for callers who keep none), made through the API.</summary>
    private static async Task<long> AudioAsync(RowContext c, bool callers = true)
    {
        var account = (callers ? c.W.AccountFor(c.Rel) : null) ?? c.W.Owner;
        return (await account.Client.PostAsync<VoiceAudioView>("/api/voice", new VoiceText("矩阵播报"))).Id;
    }

    public static readonly IReadOnlyDictionary<string, Arrange> Arrangements = new Dictionary<string, Arrange>
    {
        [$"GET {Announcement}"] = async c => Get($"/api/devices/{await c.DeviceAsync()}/announcement"),
        [$"PUT {Announcement}"] = async c =>
            Json($"/api/devices/{await c.DeviceAsync(GrantPermissions.Broadcast)}/announcement", new AnnouncementEdit(true, 40)),
        [$"GET {Plays}"] = async c => Get($"/api/devices/{await c.DeviceAsync()}/voice-plays"),
        [$"GET {Voices}"] = _ => Task.FromResult(Get("/api/voice")),
        [$"GET {Group}"] = async c =>
        {
            var (sn, model) = await c.ModelledDeviceAsync(GrantPermissions.Broadcast);
            return Get($"{Group}?model={Uri.EscapeDataString(model)}", (_, body) =>
                body.Contains(sn, StringComparison.Ordinal) != c.Rel is Owner or GranteeWithPermission ? $"the group {(body.Contains(sn, StringComparison.Ordinal) ? "lists" : "does not list")} the device" : null);
        },
        [$"POST {Voices}"] = _ => Task.FromResult(Json("/api/voice", new VoiceText("矩阵播报"))),
        [$"POST {Send}"] = async c =>
        {
            var sn = await c.DeviceAsync(GrantPermissions.Broadcast);
            var id = await AudioAsync(c);
            return Json($"/api/voice/{id}/send", new VoiceSend(0, [sn], Core.Broadcasts.VoicePlayType.Trade, null, null, null));
        },
        [$"DELETE {OffDevice}"] = async c =>
        {
            var sn = await c.DeviceAsync(GrantPermissions.Broadcast);
            // Set by the provider where it may (the owner's and the provider-with-permission rows), else by the owner.
            var providerSets = c.Rel is Owner or GranteeWithPermission;
            if (c.Rel == Owner)
            {
                await c.W.GrantAsync(sn, GrantPermissions.Broadcast);
            }
            var setter = providerSets ? c.W.Grantee : c.W.Owner;
            var id = (await setter.Client.PostAsync<VoiceAudioView>("/api/voice", new VoiceText("矩阵撤下"))).Id;
            await setter.Client.PostAsync<VoiceSent>($"/api/voice/{id}/send", new VoiceSend(0, [sn], Core.Broadcasts.VoicePlayType.Trade, null, null, null));
            return Empty($"/api/voice/{id}/devices/{sn}");
        },
        [$"DELETE {Voice}"] = async c => Empty($"/api/voice/{await AudioAsync(c, callers: false)}"),
        ["GET /operations/voice"] = _ => Task.FromResult(Get("/operations/voice", PublicMatrix.RedirectsTo("/login"))),
        ["POST /operations/voice"] = _ => Task.FromResult(new Call("/operations/voice", new FormUrlEncodedContent([]), PublicMatrix.RedirectsTo("/login"))),
    };
}

/// <summary>
/// The voice methods act as the console does: a message is its creator's; setting it on a terminal, announcing a payment
/// on it and asking whether it was said need 播报运营 there (the owner's own terminal, or on behalf the merchant's
/// terminals it granted the provider with 播报运营).
/// </summary>
public static class BroadcastsGatewayMatrix
{
    private const string Create = "alipay.commerce.iot.device.audio.create";
    private const string Send = "alipay.commerce.iot.device.audio.send";
    private const string Query = "alipay.commerce.iot.device.audio.query";
    private const string Delete = "alipay.commerce.iot.device.audio.delete";
    private const string TradeVoice = "alipay.commerce.iot.device.tradevoice.send";
    private const string BroadcastQuery = "alipay.commerce.iot.device.broadcast.query";


    private const string OtherMerchantsDevice = "another merchant's device";
    private const string Granted = "device the merchant granted to the provider with 播报运营";
    private const string GrantedOther = "device granted to the provider without 播报运营";
    private const string OthersAudio = "another account's message";
    private const string Offline = "the terminal is offline";
    private const string BadType = "an unknown play_type";

    public static readonly IReadOnlyList<GatewayRow> Rows =
    [
        new(Create,         Caller.OwnApp,     Ok),
        new(Create,         Caller.OnBehalf,   Ok),
        new(Create,         Caller.OwnApp,     Missing,      "isv.missing-parameter"),
        new(Create,         Caller.UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(Create,         Caller.Unsigned,   Missing,      "isv.missing-signature"),
        new(Send,           Caller.OwnApp,     Ok),
        new(Send,           Caller.OwnApp,     Insufficient, NoPermission,             OtherMerchantsDevice),
        new(Send,           Caller.OwnApp,     Business,     "isv.resource-not-exist", OthersAudio),
        new(Send,           Caller.OwnApp,     Invalid,      "isv.invalid-parameter",  BadType),
        new(Send,           Caller.OnBehalf,   Ok,           null,                     Granted),
        new(Send,           Caller.OnBehalf,   Insufficient, NoPermission,             GrantedOther),
        new(Send,           Caller.UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(Send,           Caller.Unsigned,   Missing,      "isv.missing-signature"),
        new(Query,          Caller.OwnApp,     Ok),
        new(Query,          Caller.OnBehalf,   Ok),
        new(Query,          Caller.UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(Query,          Caller.Unsigned,   Missing,      "isv.missing-signature"),
        new(Delete,         Caller.OwnApp,     Ok),
        new(Delete,         Caller.OwnApp,     Business,     "isv.resource-not-exist", OthersAudio),
        new(Delete,         Caller.OnBehalf,   Ok),  // the provider's own message
        new(Delete,         Caller.UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(Delete,         Caller.Unsigned,   Missing,      "isv.missing-signature"),
        new(TradeVoice,     Caller.OwnApp,     Business,     "isv.business-failed",    Offline),  // permitted; the matrix's terminals are not connected
        new(TradeVoice,     Caller.OwnApp,     Insufficient, NoPermission,             OtherMerchantsDevice),
        new(TradeVoice,     Caller.OnBehalf,   Business,     "isv.business-failed",    Granted),
        new(TradeVoice,     Caller.OnBehalf,   Insufficient, NoPermission,             GrantedOther),
        new(TradeVoice,     Caller.UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(TradeVoice,     Caller.Unsigned,   Missing,      "isv.missing-signature"),
        new(BroadcastQuery, Caller.OwnApp,     Ok),
        new(BroadcastQuery, Caller.OwnApp,     Insufficient, NoPermission,             OtherMerchantsDevice),
        new(BroadcastQuery, Caller.OnBehalf,   Ok,           null,                     Granted),
        new(BroadcastQuery, Caller.OnBehalf,   Insufficient, NoPermission,             GrantedOther),
        new(BroadcastQuery, Caller.UnknownApp, Invalid,      "isv.invalid-app-id"),
        new(BroadcastQuery, Caller.Unsigned,   Missing,      "isv.missing-signature"),
    ];

    private static async Task<string> DeviceAsync(GatewayRowContext g)
    {
        if (g.Is(OtherMerchantsDevice))
        {
            return (await g.W.SubmitAsync(g.W.Other, 1, decide: true)).Sns[0];
        }
        var sn = await g.W.OwnedDeviceAsync();
        if (g.Is(Granted))
        {
            await g.W.GrantAsync(sn, GrantPermissions.Broadcast);
        }
        else if (g.Is(GrantedOther))
        {
            await g.W.GrantAsync(sn, GrantPermissions.All & ~GrantPermissions.Broadcast);
        }
        return sn;
    }

    /// <summary>A message of the calling account (the provider's on behalf), or of another merchant.</summary>
    private static async Task<string> AudioAsync(GatewayRowContext g)
    {
        if (g.Caller == Caller.OnBehalf && !g.Is(OthersAudio))
        {
            // Made on behalf of the matrix's merchant, as the provider's app with that merchant's token would make it.
            var voices = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<VoiceMessages>(g.W.F.Services);
            var actor = new Touchpoint.Server.Accounts.Actor(g.W.Grantee.Id, Core.Accounts.AccountRole.ServiceProvider, g.W.Grantee.Name) { OnBehalfOfId = g.W.Owner.Id };
            return (await voices.CreateAsync(actor, "矩阵播报", default)).Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var maker = g.Is(OthersAudio) ? g.W.Other : g.W.Owner;
        return (await maker.Client.PostAsync<VoiceAudioView>("/api/voice", new VoiceText("矩阵播报"))).Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public static readonly IReadOnlyDictionary<string, ArrangeGateway> Arrangements = new Dictionary<string, ArrangeGateway>
    {
        [Create] = async g => await g.SharedAsync(g.Row.Code == Missing ? new { } : new { text = "欢迎光临" }),
        [Send] = async g => await g.SharedAsync(new { biz_tid = await DeviceAsync(g), audio_id = await AudioAsync(g), play_type = g.Is(BadType) ? "LOOP" : "TRADE" }),
        [Query] = async g => await g.SharedAsync(new { }),
        [Delete] = async g => await g.SharedAsync(new { audio_id = await AudioAsync(g) }),
        [TradeVoice] = async g => await g.SharedAsync(new { biz_tid = await DeviceAsync(g), amount = "1.00", trade_id = "M1", trade_type = "ALIPAY_TRADE" }),
        [BroadcastQuery] = async g => await g.SharedAsync(new { biz_tid = await DeviceAsync(g), trade_id = "M1" }),
    };
}
