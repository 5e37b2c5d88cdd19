using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Audit;
using Touchpoint.Core.Common;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Ownership;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Audit;
using Touchpoint.Server.Common;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Ownership;

public sealed record PurchaseEntrySummary(long Id, long MerchantId, string MerchantName, string? Note, DateTime CreatedAtUtc, bool Closed);

public sealed record PurchaseOrderSummary(long Id, long EntryId, long MerchantId, string MerchantName, DeviceType DeviceType, int Quantity,
    PurchaseOrderStatus Status, DateTime CreatedAtUtc, DateTime? ShippedAtUtc, DateTime? ReceivedAtUtc, string? ShippingNote,
    IReadOnlyList<string> Sns);

/// <summary>申购 (R3): operator issues an entry, the merchant orders, the operator ships SNs, the merchant confirms receipt.</summary>
public sealed class PurchaseService(IDbContextFactory<TouchpointDb> factory, TimeProvider clock)
{
    public const int MaxQuantity = 1000;

    private const string LostRace = "订单或设备状态已被其他操作改变（如同时发货与取消），未做任何更改，请刷新后重试";

    public async Task<PurchaseEntrySummary> IssueAsync(Actor actor, long merchantId, string? note, CancellationToken ct = default)
    {
        if (!actor.Is(AccountRole.Operator))
        {
            throw TouchpointException.Forbidden("只有平台运营可以发放申购入口");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var merchant = await db.Accounts.SingleOrDefaultAsync(a => a.Id == merchantId, ct);
        if (merchant?.Role != AccountRole.Merchant)
        {
            throw TouchpointException.Invalid("申购入口只能发放给商家账号");
        }
        var entry = new PurchaseEntry
        {
            MerchantId = merchantId, IssuedById = actor.Id, CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
            Note = OptionalText.Clip(note, 200),
        };
        db.PurchaseEntries.Add(entry);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, clock, actor.Id, AuditAction.PurchaseEntryIssued, merchantId, null, $"发放申购入口 #{entry.Id}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new PurchaseEntrySummary(entry.Id, merchantId, merchant.DisplayName, entry.Note, entry.CreatedAtUtc, false);
    }

    public async Task<Paged<PurchaseEntrySummary>> ListEntriesAsync(Actor actor, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = db.PurchaseEntries.AsNoTracking();
        if (!actor.Is(AccountRole.Operator))
        {
            query = query.Where(e => e.MerchantId == actor.Id);
        }
        var entries = await query
            .Join(db.Accounts, e => e.MerchantId, a => a.Id, (e, a) => new { e.Id, e.MerchantId, a.DisplayName, e.Note, e.CreatedAtUtc, e.Closed })
            .OrderByDescending(e => e.Id).ToPageAsync(page, ct);
        return entries.Map(e => new PurchaseEntrySummary(e.Id, e.MerchantId, e.DisplayName, e.Note, e.CreatedAtUtc, e.Closed));
    }

    public async Task<PurchaseOrderSummary> OrderAsync(Actor actor, long entryId, DeviceType type, int quantity, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(type))
        {
            throw TouchpointException.Invalid("设备类型无效");
        }
        if (quantity is < 1 or > MaxQuantity)
        {
            throw TouchpointException.Invalid($"申购数量应为 1–{MaxQuantity} 台");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var entry = await db.PurchaseEntries.SingleOrDefaultAsync(e => e.Id == entryId, ct)
            ?? throw TouchpointException.NotFound("申购入口不存在");
        if (entry.MerchantId != actor.Id)
        {
            throw TouchpointException.Forbidden("该申购入口不是发给您的");
        }
        if (entry.Closed)
        {
            throw TouchpointException.Invalid("该申购入口已关闭");
        }
        var order = new PurchaseOrder
        {
            EntryId = entryId, MerchantId = actor.Id, DeviceType = type, Quantity = quantity,
            Status = PurchaseOrderStatus.Submitted, CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
        };
        db.PurchaseOrders.Add(order);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, clock, actor.Id, AuditAction.PurchaseOrdered, actor.Id, null, $"提交申购单 #{order.Id}：{type.Chinese()} × {quantity}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await ListOrdersAsync(db, o => o.Id == order.Id, ct))[0];
    }

    /// <summary>Unowned, free devices of a type in stock, for the operator to pick SNs when shipping.</summary>
    public async Task<IReadOnlyList<string>> StockAsync(Actor actor, DeviceType type, int count, CancellationToken ct = default)
    {
        RequireOperator(actor);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Devices.Where(d => d.OwnerId == null && d.HeldBy == null && d.Type == type)
            .OrderBy(d => d.Id).Take(Math.Clamp(count, 1, MaxQuantity)).Select(d => d.Sn).ToListAsync(ct);
    }

    /// <summary>Ships exactly the ordered quantity; any unusable SN rejects the whole shipment and names every bad SN.</summary>
    public async Task<PurchaseOrderSummary> ShipAsync(Actor actor, long orderId, IReadOnlyList<string> rawSns, string? note, CancellationToken ct = default)
    {
        RequireOperator(actor);
        await using var db = await factory.CreateDbContextAsync(ct);
        var order = await db.PurchaseOrders.SingleOrDefaultAsync(o => o.Id == orderId, ct)
            ?? throw TouchpointException.NotFound("申购单不存在");
        if (order.Status != PurchaseOrderStatus.Submitted)
        {
            throw TouchpointException.Conflict($"申购单当前状态为“{order.Status.Chinese()}”，不能发货");
        }
        var problems = new List<string>();
        var sns = new List<string>();
        foreach (var raw in rawSns.Where(s => !string.IsNullOrWhiteSpace(s)))
        {
            if (!DeviceSn.TryNormalize(raw, out var sn)) problems.Add($"{raw.Trim()}（SN 格式不正确）");
            else if (sns.Contains(sn)) problems.Add($"{sn}（重复）");
            else sns.Add(sn);
        }
        if (sns.Count + problems.Count != order.Quantity)
        {
            throw TouchpointException.Invalid($"发货 SN 数量（{sns.Count + problems.Count}）与申购数量（{order.Quantity}）不一致");
        }
        var devices = await db.Devices.Where(d => sns.Contains(d.Sn)).ToDictionaryAsync(d => d.Sn, ct);
        foreach (var sn in sns)
        {
            var d = devices.GetValueOrDefault(sn);
            if (d is null) problems.Add($"{sn}（设备不存在）");
            else if (d.OwnerId is not null) problems.Add($"{sn}（已有所有者）");
            else if (d.HeldBy is not null) problems.Add($"{sn}（正在其他流程中）");
            else if (d.Type != order.DeviceType) problems.Add($"{sn}（类型为{d.Type.Chinese()}，申购的是{order.DeviceType.Chinese()}）");
        }
        if (problems.Count > 0)
        {
            throw TouchpointException.Invalid($"以下 SN 无法发货：{string.Join("；", problems.Take(20))}");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var d in devices.Values)
        {
            d.HeldBy = $"purchase:{order.Id}";
            d.ShipmentChannel = ShipmentChannel.PlatformPurchase;
            d.Revision++;
            order.Devices.Add(new PurchaseOrderDevice { DeviceId = d.Id });
        }
        order.Status = PurchaseOrderStatus.Shipped;
        order.ShippedAtUtc = now;
        order.ShippingNote = OptionalText.Clip(note, 200);
        AuditLog.Add(db, clock, actor.Id, AuditAction.PurchaseShipped, order.MerchantId, null,
            $"申购单 #{order.Id} 已发货：{string.Join("、", sns)}");
        await db.SaveOrConflictAsync(ct, LostRace);
        return (await ListOrdersAsync(db, o => o.Id == order.Id, ct))[0];
    }

    /// <summary>确认收货: the merchant becomes the owner of every shipped device at this moment.</summary>
    public async Task<PurchaseOrderSummary> ReceiveAsync(Actor actor, long orderId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var order = await db.PurchaseOrders.Include(o => o.Devices).SingleOrDefaultAsync(o => o.Id == orderId, ct)
            ?? throw TouchpointException.NotFound("申购单不存在");
        if (order.MerchantId != actor.Id)
        {
            throw TouchpointException.Forbidden("只有申购的商家可以确认收货");
        }
        if (order.Status != PurchaseOrderStatus.Shipped)
        {
            throw TouchpointException.Conflict($"申购单当前状态为“{order.Status.Chinese()}”，不能确认收货");
        }
        var ids = order.Devices.Select(d => d.DeviceId).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var d in await db.Devices.Where(d => ids.Contains(d.Id)).ToListAsync(ct))
        {
            d.OwnerId = actor.Id;
            d.OwnershipUpdatedAtUtc = now;
            d.TransferType = TransferType.Sale;
            d.HeldBy = null;
            d.Revision++;
            AuditLog.Add(db, clock, actor.Id, AuditAction.OwnershipReceived, actor.Id, (d.Id, d.Sn), $"申购单 #{order.Id} 确认收货，成为设备所有者");
        }
        order.Status = PurchaseOrderStatus.Received;
        order.ReceivedAtUtc = now;
        await db.SaveOrConflictAsync(ct, LostRace);
        return (await ListOrdersAsync(db, o => o.Id == order.Id, ct))[0];
    }

    public async Task<PurchaseOrderSummary> CancelAsync(Actor actor, long orderId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var order = await db.PurchaseOrders.SingleOrDefaultAsync(o => o.Id == orderId, ct)
            ?? throw TouchpointException.NotFound("申购单不存在");
        if (order.MerchantId != actor.Id && !actor.Is(AccountRole.Operator))
        {
            throw TouchpointException.Forbidden("您无权取消该申购单");
        }
        if (order.Status != PurchaseOrderStatus.Submitted)
        {
            throw TouchpointException.Conflict($"申购单当前状态为“{order.Status.Chinese()}”，只有待发货的申购单可以取消");
        }
        order.Status = PurchaseOrderStatus.Cancelled;
        order.CancelledAtUtc = clock.GetUtcNow().UtcDateTime;
        AuditLog.Add(db, clock, actor.Id, AuditAction.PurchaseCancelled, order.MerchantId, null, $"取消申购单 #{order.Id}");
        await db.SaveOrConflictAsync(ct, LostRace);
        return (await ListOrdersAsync(db, o => o.Id == order.Id, ct))[0];
    }

    public async Task<Paged<PurchaseOrderSummary>> ListOrdersAsync(Actor actor, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = db.PurchaseOrders.AsNoTracking();
        if (!actor.Is(AccountRole.Operator))
        {
            query = query.Where(o => o.MerchantId == actor.Id);
        }
        var orders = await query.OrderByDescending(o => o.Id).ToPageAsync(page, ct);
        return orders.With(await SummarizeAsync(db, orders.Items, ct));
    }

    private static async Task<IReadOnlyList<PurchaseOrderSummary>> ListOrdersAsync(TouchpointDb db,
        System.Linq.Expressions.Expression<Func<PurchaseOrder, bool>> where, CancellationToken ct) =>
        await SummarizeAsync(db, await db.PurchaseOrders.AsNoTracking().Where(where).ToListAsync(ct), ct);

    private static async Task<IReadOnlyList<PurchaseOrderSummary>> SummarizeAsync(TouchpointDb db, IReadOnlyList<PurchaseOrder> orders,
        CancellationToken ct)
    {
        var ids = orders.Select(o => o.Id).ToList();
        var sns = (await db.PurchaseOrderDevices.Where(x => ids.Contains(x.OrderId))
                .Join(db.Devices, x => x.DeviceId, d => d.Id, (x, d) => new { x.OrderId, d.Sn }).ToListAsync(ct))
            .ToLookup(x => x.OrderId, x => x.Sn);
        var merchantIds = orders.Select(o => o.MerchantId).Distinct().ToList();
        var names = await db.Accounts.Where(a => merchantIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.DisplayName, ct);
        return orders.Select(o => new PurchaseOrderSummary(o.Id, o.EntryId, o.MerchantId, names[o.MerchantId], o.DeviceType, o.Quantity,
            o.Status, o.CreatedAtUtc, o.ShippedAtUtc, o.ReceivedAtUtc, o.ShippingNote, sns[o.Id].Order().ToList())).ToList();
    }

    private static void RequireOperator(Actor actor)
    {
        if (!actor.Is(AccountRole.Operator))
        {
            throw TouchpointException.Forbidden("只有平台运营可以处理发货");
        }
    }

}
