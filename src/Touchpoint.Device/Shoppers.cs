using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Touchpoint.Device;

/// <summary>A simulated member who shops at the fleet's terminals: the Alipay user id, a name for the log, and the number they verify with.</summary>
public sealed record Shopper(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("mobile")] string Mobile);

/// <summary>
/// The demo's shoppers (<c>--shoppers</c>): every so often a member walks up to a connected terminal, the clerk keys in
/// an amount (<c>up/cashier</c>, as the terminal's own cashier does), the member looks at the camera (the runtime API's
/// <c>/runtime/terminals/{sn}/face</c>, the simulated Alipay client), types the phone digits when asked, and taps 领取 on
/// a gift half the time. So a freshly started demo fills 交易管理, 刷脸有礼 and the voice log by itself, through the same
/// paths a test takes; every refusal (a limit, a switched-off member) is logged and the loop goes on.
/// </summary>
public sealed class Shoppers(IReadOnlyList<DeviceAgent> agents, IReadOnlyList<Shopper> shoppers, HttpClient web, TimeSpan every, TextWriter log)
{
    private static readonly TimeSpan ScreenWait = TimeSpan.FromSeconds(15);

    public async Task RunAsync(CancellationToken ct)
    {
        if (shoppers.Count == 0 || agents.Count == 0)
        {
            return;
        }
        while (!ct.IsCancellationRequested)
        {
            // Jittered, so the fleet's payments do not land on one beat.
            var pause = every * (0.5 + Random.Shared.NextDouble());
            try
            {
                await Task.Delay(pause, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var ready = agents.Where(a => a.IsConnected && a.Screen?.Screen is null or "success" or "error").ToList();
            if (ready.Count == 0)
            {
                continue;
            }
            var agent = ready[Random.Shared.Next(ready.Count)];
            var shopper = shoppers[Random.Shared.Next(shoppers.Count)];
            try
            {
                log.WriteLine($"{DateTime.Now:HH:mm:ss} {await ShopAsync(agent, shopper, ct)}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.WriteLine($"{DateTime.Now:HH:mm:ss} {shopper.Name} at {agent.Sn}: {e.Message}");
            }
        }
    }

    /// <summary>One visit: returns what happened, in a line for the log.</summary>
    public async Task<string> ShopAsync(DeviceAgent agent, Shopper shopper, CancellationToken ct)
    {
        var amount = (Random.Shared.Next(500, 12_000) / 100m).ToString("0.00", CultureInfo.InvariantCulture);
        var order = $"DEMO{DateTime.UtcNow:yyyyMMddHHmmss}{Random.Shared.Next(1000, 9999)}";
        await agent.StartCashierAsync(amount, order, "门店消费", ct: ct);
        if (await ScreenAsync(agent, s => s.Screen == "face" && s.OutTradeNo == order, ct) is null)
        {
            return $"{agent.Sn} showed no face prompt for {amount} 元 within {ScreenWait.TotalSeconds:0} s: {agent.Screen?.Code} {agent.Screen?.Message}".TrimEnd();
        }
        var step = await PostAsync($"/runtime/terminals/{agent.Sn}/face", new { user_id = shopper.UserId }, ct);
        var typed = "";
        if (Text(step, "screen") == "verify" && step.TryGetProperty("verifyDigits", out var digits) && digits.TryGetInt32(out var n))
        {
            step = await PostAsync($"/runtime/terminals/{agent.Sn}/verify", new { digits = shopper.Mobile[^n..] }, ct);
            typed = $", typing {n} phone digits";
        }
        if (Text(step, "screen") != "success")
        {
            return $"{shopper.Name} at {agent.Sn}, {amount} 元: {Text(step, "code")} {Text(step, "message")}".TrimEnd();
        }
        var tradeNo = Text(step, "tradeNo");
        if (await ScreenAsync(agent, s => s.Screen == "success" && s.TradeNo == tradeNo, ct) is not { } success)
        {
            return $"{shopper.Name} paid {amount} 元 at {agent.Sn} (trade {tradeNo}), but the terminal did not show it";
        }
        var line = $"{shopper.Name} paid {amount} 元 at {agent.Sn} by face{typed} (trade {success.TradeNo})";
        if (success.Gift is { } gift && Random.Shared.Next(2) == 0)
        {
            await agent.ClaimGiftAsync(ct);
            line += $", claimed {gift.Name}";
        }
        return line;
    }

    /// <summary>The screen once it shows what <paramref name="wanted"/> accepts; null if it does not in time.</summary>
    private static async Task<Core.DeviceChannel.ScreenMessage?> ScreenAsync(DeviceAgent agent, Func<Core.DeviceChannel.ScreenMessage, bool> wanted, CancellationToken ct)
    {
        try
        {
            return await agent.WaitForScreenAsync(wanted, ScreenWait);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task<JsonElement> PostAsync(string path, object body, CancellationToken ct)
    {
        using var response = await web.PostAsJsonAsync(path, body, ct);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        // The runtime answers a refusal with Alipay's code and sub_msg: said in the log, not thrown.
        return response.IsSuccessStatusCode ? json : JsonSerializer.SerializeToElement(new
        {
            screen = "refused", code = Text(json, "subCode"), message = Text(json, "subMsg") is { Length: > 0 } m ? m : Text(json, "msg"),
        });
    }

    private static string Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : "";
}
