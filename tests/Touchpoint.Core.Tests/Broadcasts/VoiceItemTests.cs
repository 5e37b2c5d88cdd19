using System.Text.Json;
using Touchpoint.Core.DeviceChannel;

namespace Touchpoint.Core.Tests.Broadcasts;

public class VoiceItemTests
{
    [Fact]
    public void AGranteesMessageIsLiveUntilItsGrantsEndAndTheOwnersForever()
    {
        var end = new DateTimeOffset(2026, 12, 24, 16, 0, 0, TimeSpan.Zero); // midnight in China
        var granted = new VoiceItem(7, "服务商的播报", "TRADE", Until: end);
        var owners = new VoiceItem(8, "店主的播报", "TRADE");

        Assert.True(granted.LiveAt(end.AddTicks(-1)));
        Assert.False(granted.LiveAt(end));
        // The same instant seen from the terminal's own zone.
        Assert.False(granted.LiveAt(new DateTimeOffset(2026, 12, 25, 0, 0, 0, TimeSpan.FromHours(8))));
        Assert.True(owners.LiveAt(DateTimeOffset.MaxValue));
    }

    [Fact]
    public void UntilTravelsAsAnInstantWithItsOffset()
    {
        var json = JsonSerializer.Serialize(new VoiceItem(7, "t", "TRADE", Until: new DateTimeOffset(2026, 12, 24, 16, 0, 0, TimeSpan.Zero)));
        Assert.Contains("\"until\":\"2026-12-24T16:00:00+00:00\"", json);
        Assert.Contains("\"until\":null", JsonSerializer.Serialize(new VoiceItem(8, "t", "TRADE"))); // older agents ignore it
    }
}
