using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Touchpoint.Core.Broadcasts;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Common;
using Touchpoint.Server.Diagnostics;
using Touchpoint.Server.OpenApi;
using Touchpoint.Server.Posters;

namespace Touchpoint.Server.Broadcasts;

/// <summary>The voice methods' fields (ALIPAY-IOT.md §1): <c>biz_tid</c> is the terminal (Touchpoint: its SN).</summary>
internal static class VoiceArgs
{
    public static long AudioId(GatewayCall call) =>
        long.TryParse(call.Required("audio_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
            : throw OpenPlatformViolation.Invalid("isv.invalid-parameter", "audio_id 格式不正确");

    public static JsonObject Audio(VoiceAudioView a) => new()
    {
        ["audio_id"] = a.Id.ToString(CultureInfo.InvariantCulture),
        ["text"] = a.Text,
        ["gmt_create"] = ChinaTime.Format(a.CreatedAtUtc),
        ["device_list"] = new JsonArray(a.Devices.Select(d => (JsonNode)new JsonObject
        {
            ["biz_tid"] = d.Sn,
            ["play_type"] = d.PlayType == VoicePlayType.Trade ? "TRADE" : "CUSTOM_AUDIO",
            ["audio_rule"] = d.PlayType == VoicePlayType.Trade ? null : new JsonObject
            {
                ["start_time"] = d.Start is { } s ? AdvertiserArgs.Format(s) : null,
                ["end_time"] = d.End is { } e ? AdvertiserArgs.Format(e) : null,
                ["interval"] = d.IntervalSeconds,
                ["status"] = "OPEN",
            },
        }).ToArray()),
    };
}

/// <summary>alipay.commerce.iot.device.audio.create {text} → audio_id. Touchpoint terminals speak the text themselves, so there is no audio_url.</summary>
public sealed class AudioCreateMethod(VoiceMessages voices) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.device.audio.create";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct) =>
        new() { ["audio_id"] = (await voices.CreateAsync(DiagnosticsEndpoints.ActorOf(call), call.Required("text"), ct)).Id.ToString(CultureInfo.InvariantCulture) };
}

/// <summary>
/// alipay.commerce.iot.device.audio.send {biz_tid, audio_id, play_type TRADE | CUSTOM_AUDIO, audio_rule {start_time,
/// end_time, interval (seconds), status}}: sets the message on the terminal; a rule whose status is CLOSE takes it off.
/// </summary>
public sealed class AudioSendMethod(VoiceMessages voices) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.device.audio.send";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var actor = DiagnosticsEndpoints.ActorOf(call);
        var sn = call.Required("biz_tid");
        var audioId = VoiceArgs.AudioId(call);
        var type = call.Required("play_type").ToUpperInvariant() switch
        {
            "TRADE" => VoicePlayType.Trade,
            "CUSTOM_AUDIO" => VoicePlayType.Custom,
            var other => throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"不支持的 play_type：{other}（TRADE 或 CUSTOM_AUDIO）"),
        };
        JsonObject rule = [];
        if (call.Text("audio_rule") is { Length: > 0 } text)
        {
            try
            {
                rule = JsonNode.Parse(text) as JsonObject ?? throw new JsonException();
            }
            catch (JsonException)
            {
                throw OpenPlatformViolation.Invalid("isv.invalid-parameter", "audio_rule 必须是 JSON 对象：{\"start_time\":\"2026-12-01 09:00:00\",\"end_time\":…,\"interval\":600,\"status\":\"OPEN\"}");
            }
        }
        string? Field(string name) => rule[name] is { } node ? node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString() : null;
        if (Field("status")?.ToUpperInvariant() is "CLOSE" or "CLOSED" or "OFF" or "0")
        {
            await voices.RemoveAsync(actor, audioId, sn, ct);
            return [];
        }
        DateTime? Time(string name) => Field(name) is { Length: > 0 } t
            ? DateTime.TryParseExact(t, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at
                : throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"audio_rule.{name} 必须是 yyyy-MM-dd HH:mm:ss（设备当地时间）")
            : null;
        int? interval = Field("interval") is { Length: > 0 } i
            ? int.TryParse(i, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw OpenPlatformViolation.Invalid("isv.invalid-parameter", "audio_rule.interval 必须是秒数")
            : null;
        await voices.SendAsync(actor, new VoiceSend(audioId, [sn], type, Time("start_time"), Time("end_time"), interval), ct);
        return [];
    }
}

/// <summary>alipay.commerce.iot.device.audio.query → audio_list: the caller's messages and the terminals they are set on.</summary>
public sealed class AudioQueryMethod(VoiceMessages voices) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.device.audio.query";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var list = await voices.ListAsync(DiagnosticsEndpoints.ActorOf(call), ct);
        var raw = call.Text("biz_tid")?.Trim();
        var sn = string.IsNullOrEmpty(raw) ? null : Touchpoint.Core.Devices.DeviceSn.Normalize(raw);
        var shown = sn is null ? list.Where(a => a.Mine).ToList() : list.Where(a => a.Devices.Any(d => d.Sn == sn)).ToList();
        return new JsonObject { ["audio_list"] = new JsonArray(shown.Select(a => (JsonNode)VoiceArgs.Audio(a)).ToArray()) };
    }
}

/// <summary>alipay.commerce.iot.device.audio.delete {audio_id}: every terminal stops playing it.</summary>
public sealed class AudioDeleteMethod(VoiceMessages voices) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.device.audio.delete";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        await voices.DeleteAsync(DiagnosticsEndpoints.ActorOf(call), VoiceArgs.AudioId(call), ct);
        return [];
    }
}

/// <summary>alipay.commerce.iot.device.tradevoice.send {biz_tid, amount, trade_id, out_order_no, trade_type}: 到账播报 for a payment taken elsewhere.</summary>
public sealed class TradeVoiceSendMethod(VoiceMessages voices) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.device.tradevoice.send";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var type = call.Text("trade_type")?.Trim().ToUpperInvariant();
        if (type is not (null or "" or "ALIPAY_TRADE" or "OTHER"))
        {
            throw OpenPlatformViolation.Invalid("isv.invalid-parameter", $"不支持的 trade_type：{type}（ALIPAY_TRADE 或 OTHER）");
        }
        await voices.AnnounceAsync(DiagnosticsEndpoints.ActorOf(call), call.Required("biz_tid"), call.Required("amount"),
            call.Text("trade_id") ?? call.Required("out_order_no"), type, ct);
        return [];
    }
}

/// <summary>alipay.commerce.iot.device.broadcast.query {biz_tid, trade_id} → result "true"/"false", broadcast_time: from the terminal's own report.</summary>
public sealed class BroadcastQueryMethod(VoiceMessages voices) : IGatewayMethod
{
    public string Name => "alipay.commerce.iot.device.broadcast.query";

    public async Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct)
    {
        var at = await voices.BroadcastAtAsync(DiagnosticsEndpoints.ActorOf(call), call.Required("biz_tid"), call.Required("trade_id"), ct);
        return new JsonObject { ["result"] = at is null ? "false" : "true", ["broadcast_time"] = at is { } t ? ChinaTime.Format(t) : null };
    }
}
