using System.Text.Json;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Payments;
using Touchpoint.Server.DeviceChannel;

namespace Touchpoint.Server.Payments;

/// <summary>
/// Tells a terminal what its screen shows (<c>down/screen</c>). Best effort: a terminal that is not connected shows
/// nothing anyway, and the outcome is kept on the session and the capture for the console to explain.
/// </summary>
public sealed class TerminalScreens(IDeviceDownlink downlink, ILogger<TerminalScreens> logger)
{
    public async Task ShowAsync(string sn, ScreenMessage screen, CancellationToken ct)
    {
        if (!downlink.IsReady)
        {
            return;
        }
        try
        {
            await downlink.PublishAsync(DeviceTopics.Down(sn, "screen"), JsonSerializer.SerializeToUtf8Bytes(screen), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Screen for {Sn} not sent", sn);
        }
    }

    /// <summary>The success page, with its 刷脸有礼 gift if one was chosen; it says the payment aloud only when the terminal's 到账播报 is on, at its volume.</summary>
    public Task PaidAsync(string sn, Trade trade, Core.Broadcasts.AnnouncementSettings announcement, ScreenGift? gift, CancellationToken ct) => ShowAsync(sn,
        new ScreenMessage(1, "success", TotalAmount: Money.Format(trade.TotalCents), OutTradeNo: trade.OutTradeNo, TradeNo: trade.TradeNo,
            Title: "支付成功", Message: $"已付款 ¥{Money.Format(trade.TotalCents)}",
            Broadcast: announcement.Enabled ? TradeService.Announcement(trade) : null, Volume: announcement.Enabled ? announcement.Volume : null, Gift: gift), ct);

    public static ScreenMessage Error(string? zimId, string code, string message, IReadOnlyList<string> advice, long? cents = null) =>
        new(1, "error", zimId, cents is null ? null : Money.Format(cents.Value), Code: code, Title: "支付未完成", Message: message, Advice: advice);
}
