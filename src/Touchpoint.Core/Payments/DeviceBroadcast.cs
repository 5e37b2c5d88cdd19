namespace Touchpoint.Core.Payments;

/// <summary>What a terminal announced (播报), e.g. "支付宝到账 12 元" for a trade: alipay.commerce.iot.device.broadcast.query reads these.</summary>
public sealed class DeviceBroadcast
{
    public long Id { get; set; }
    public long DeviceId { get; set; }
    public required string Text { get; set; }
    public long? TradeId { get; set; }
    public DateTime AtUtc { get; set; }
}
