using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Sdk;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.OpenApi;

namespace Touchpoint.Server.Notifications;

/// <summary>
/// Stages asynchronous notifications in the same unit of work as the change they report, so that a review result or a
/// payment and its notification commit together. Each is signed once (at staging, or for trade notifications at the
/// first send) and from then on a restart re-sends exactly the same bytes.
/// </summary>
public sealed class NotificationOutbox(PlatformKeyring keyring, TimeProvider clock)
{
    /// <summary>Adds a delivery to <paramref name="db"/> when the app subscribed to the method and has a gateway.</summary>
    public NotificationDelivery? Stage(TouchpointDb db, DeveloperApp app, string msgMethod, JsonObject bizContent)
    {
        if (!app.IsSubscribed(msgMethod) || string.IsNullOrEmpty(app.GatewayUrl))
        {
            return null;
        }
        var now = clock.GetUtcNow();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["notify_id"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            ["utc_timestamp"] = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["msg_method"] = msgMethod,
            ["app_id"] = app.AppId,
            ["version"] = "1.1",
            ["biz_content"] = bizContent.ToJsonString(Json),
            ["charset"] = "utf-8",
            ["sign_type"] = "RSA2",
        };
        parameters["sign"] = AlipaySignature.Sign(AlipaySignature.NotificationContent(parameters), keyring.PrivateKey);
        var delivery = new NotificationDelivery
        {
            NotifyId = parameters["notify_id"],
            AppId = app.Id,
            MsgMethod = msgMethod,
            Url = app.GatewayUrl,
            Body = FormBody(parameters),
            Status = DeliveryStatus.Pending,
            NextAttemptAtUtc = now.UtcDateTime,
            CreatedAtUtc = now.UtcDateTime,
        };
        db.NotificationDeliveries.Add(delivery);
        return delivery;
    }

    /// <summary>
    /// A trade_status_sync to the trade's notify_url (ALIPAY-IOT.md §2): the flat form Alipay posts, signed like the other
    /// notifications (sorted k=v without sign and sign_type) when first sent. Fields without a value are left out. Not
    /// added to a context: the payment path writes it with its own statements, the others through <see cref="StageTradeStatus"/>.
    /// </summary>
    public NotificationDelivery TradeStatus(long appId, string appCode, string notifyUrl, IReadOnlyDictionary<string, string?> fields)
    {
        var now = clock.GetUtcNow();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["notify_time"] = Common.ChinaTime.Format(now.UtcDateTime),
            ["notify_type"] = TradeStatusSync,
            ["notify_id"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            ["app_id"] = appCode,
            ["charset"] = "utf-8",
            ["version"] = "1.0",
            ["sign_type"] = "RSA2",
        };
        foreach (var (name, value) in fields)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parameters[name] = value;
            }
        }
        return new NotificationDelivery
        {
            NotifyId = parameters["notify_id"],
            AppId = appId,
            MsgMethod = TradeStatusSync,
            Url = notifyUrl,
            Body = FormBody(parameters),
            SignAtSend = true,
            Status = DeliveryStatus.Pending,
            NextAttemptAtUtc = now.UtcDateTime,
            CreatedAtUtc = now.UtcDateTime,
        };
    }

    public NotificationDelivery StageTradeStatus(TouchpointDb db, DeveloperApp app, string notifyUrl, IReadOnlyDictionary<string, string?> fields)
    {
        var delivery = TradeStatus(app.Id, app.AppId, notifyUrl, fields);
        db.NotificationDeliveries.Add(delivery);
        return delivery;
    }

    /// <summary>Signs a delivery staged unsigned, its notify_time the moment of sending; the worker stores the result before sending it.</summary>
    public string SignForSending(NotificationDelivery delivery)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var pair in delivery.Body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (name == "sign")
            {
                continue;
            }
            parameters.Add(new(name, name == "notify_time" ? Common.ChinaTime.Format(clock.GetUtcNow().UtcDateTime) : value));
        }
        parameters.Add(new("sign", AlipaySignature.Sign(AlipaySignature.NotificationContent(parameters), keyring.PrivateKey)));
        return FormBody(parameters);
    }

    public const string TradeStatusSync = "trade_status_sync";

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string FormBody(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
}
