using System.Collections.Concurrent;
using System.Text.Json;
using Touchpoint.Core.DeviceChannel;

namespace Touchpoint.Device;

/// <summary>
/// The terminal's cashier and screen: it asks the platform to take a payment (<c>up/cashier</c>) and shows what the
/// platform says (<c>down/screen</c>): the face prompt, the phone-digit prompt, an error code with its advice, or the
/// success page and its announcement ("支付宝到账 12 元"), which it plays.
/// </summary>
public sealed partial class DeviceAgent
{
    private readonly ConcurrentQueue<string> _played = new();
    private readonly object _screenLock = new();
    private TaskCompletionSource _screenChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What the screen shows now; null before the first payment.</summary>
    public ScreenMessage? Screen { get; private set; }

    /// <summary>The volume the last announcement was played at (0–100), as the platform set it.</summary>
    public int? AnnouncementVolume { get; private set; }

    /// <summary>Every announcement played, oldest first.</summary>
    public IReadOnlyList<string> Announcements => _played.ToArray();

    public Task StartCashierAsync(string totalAmount, string? outTradeNo = null, string? subject = null, string? appId = null, string? notifyUrl = null,
        CancellationToken ct = default) =>
        PublishAsync(UplinkKind.Cashier, new CashierRequest(1, "start", totalAmount, outTradeNo, subject, appId, notifyUrl), ct);

    public Task CancelCashierAsync(CancellationToken ct = default) => PublishAsync(UplinkKind.Cashier, new CashierRequest(1, "cancel"), ct);

    /// <summary>The member taps 领取 under the gift on the success page (刷脸有礼); the page comes back with the outcome.</summary>
    public Task ClaimGiftAsync(CancellationToken ct = default) => Screen?.Gift is { } gift
        ? PublishAsync(UplinkKind.Cashier, new CashierRequest(1, "claim", ImpressionId: gift.ImpressionId), ct)
        : throw new InvalidOperationException("The screen shows no gift to claim.");

    /// <summary>Waits until the screen shows what <paramref name="wanted"/> accepts.</summary>
    public async Task<ScreenMessage> WaitForScreenAsync(Func<ScreenMessage, bool> wanted, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_screenLock)
            {
                if (Screen is { } now && wanted(now))
                {
                    return now;
                }
                changed = _screenChanged.Task;
            }
            await changed.WaitAsync(cts.Token);
        }
    }

    private void ShowSafely(byte[] payload)
    {
        try
        {
            Show(payload);
        }
        catch (JsonException e)
        {
            LastError = e.Message;
        }
    }

    private void Show(byte[] payload)
    {
        if (JsonSerializer.Deserialize<ScreenMessage>(payload) is not { Version: 1 } screen)
        {
            return;
        }
        if (screen.Broadcast is { Length: > 0 } text)
        {
            _played.Enqueue(text);
            AnnouncementVolume = screen.Volume ?? AnnouncementVolume;
            AfterAnnouncement(screen, text);
        }
        lock (_screenLock)
        {
            Screen = screen;
            var done = _screenChanged;
            _screenChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
            done.TrySetResult();
        }
    }
}
