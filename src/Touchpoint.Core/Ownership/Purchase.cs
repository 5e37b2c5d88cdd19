using Touchpoint.Core.Devices;

namespace Touchpoint.Core.Ownership;

/// <summary>申购入口: lets a merchant order devices from the platform.</summary>
public sealed class PurchaseEntry
{
    public long Id { get; set; }
    public long MerchantId { get; set; }
    public string? Note { get; set; }
    public long IssuedById { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public bool Closed { get; set; }
}

public enum PurchaseOrderStatus
{
    /// <summary>待发货.</summary>
    Submitted = 1,
    /// <summary>已发货, waiting for 确认收货.</summary>
    Shipped = 2,
    /// <summary>已收货: the merchant owns the devices.</summary>
    Received = 3,
    /// <summary>已取消.</summary>
    Cancelled = 4,
}

public sealed class PurchaseOrder
{
    public long Id { get; set; }
    public long EntryId { get; set; }
    public long MerchantId { get; set; }
    public DeviceType DeviceType { get; set; }
    public int Quantity { get; set; }
    public PurchaseOrderStatus Status { get; set; }
    public string? ShippingNote { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? ShippedAtUtc { get; set; }
    public DateTime? ReceivedAtUtc { get; set; }
    public DateTime? CancelledAtUtc { get; set; }
    public List<PurchaseOrderDevice> Devices { get; set; } = [];
}

public sealed class PurchaseOrderDevice
{
    public long OrderId { get; set; }
    public long DeviceId { get; set; }
}

public static class PurchaseNames
{
    public static string Chinese(this PurchaseOrderStatus status) => status switch
    {
        PurchaseOrderStatus.Submitted => "待发货",
        PurchaseOrderStatus.Shipped => "已发货",
        PurchaseOrderStatus.Received => "已收货",
        PurchaseOrderStatus.Cancelled => "已取消",
        _ => status.ToString(),
    };
}
