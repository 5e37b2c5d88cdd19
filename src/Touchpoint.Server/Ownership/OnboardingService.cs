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

public sealed record OnboardingEntrySummary(long Id, long ManufacturerId, string ManufacturerName, long TargetOwnerId, string TargetOwnerName,
    string? Note, DateTime CreatedAtUtc, bool Closed, int Pending, int Authorized, int Declined);

public sealed record OnboardingItemRow(long Id, string Sn, DeviceType Type, string Model, OnboardingItemStatus Status,
    DateTime SubmittedAtUtc, DateTime? DecidedAtUtc);

/// <summary>Per-row outcome of a submission: accepted rows are in the entry, rejected rows say why.</summary>
public sealed record OnboardingRowResult(int Line, string Sn, bool Accepted, string? Reason);

public sealed record OnboardingSubmission(int Accepted, int Rejected, IReadOnlyList<OnboardingRowResult> Rows);

/// <summary>厂商进件 (R2): operator issues an entry, the manufacturer submits devices, the target owner authorizes.</summary>
public sealed class OnboardingService(IDbContextFactory<TouchpointDb> factory, TimeProvider clock)
{
    public async Task<OnboardingEntrySummary> IssueAsync(Actor actor, long manufacturerId, long targetOwnerId, string? note, CancellationToken ct = default)
    {
        if (!actor.Is(AccountRole.Operator))
        {
            throw TouchpointException.Forbidden("只有平台运营可以发放进件入口");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var manufacturer = await db.Accounts.SingleOrDefaultAsync(a => a.Id == manufacturerId, ct);
        if (manufacturer?.Role != AccountRole.Manufacturer)
        {
            throw TouchpointException.Invalid("请选择一个厂商账号");
        }
        var owner = await db.Accounts.SingleOrDefaultAsync(a => a.Id == targetOwnerId, ct);
        if (owner?.Role is not (AccountRole.Merchant or AccountRole.ServiceProvider))
        {
            throw TouchpointException.Invalid("设备所有者必须是商家或服务商账号");
        }
        var entry = new OnboardingEntry
        {
            ManufacturerId = manufacturerId, TargetOwnerId = targetOwnerId, IssuedById = actor.Id,
            Note = OptionalText.Clip(note, 200), CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
        };
        db.OnboardingEntries.Add(entry);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        AuditLog.Add(db, clock, actor.Id, AuditAction.OnboardingEntryIssued, targetOwnerId, null,
            $"向厂商 {manufacturer.DisplayName} 发放进件入口 #{entry.Id}，设备将归属 {owner.DisplayName}");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await ListAsync(db, e => e.Id == entry.Id, ct))[0];
    }

    public async Task<Paged<OnboardingEntrySummary>> ListAsync(Actor actor, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        System.Linq.Expressions.Expression<Func<OnboardingEntry, bool>> where = actor.Role switch
        {
            AccountRole.Operator => _ => true,
            AccountRole.Manufacturer => e => e.ManufacturerId == actor.Id,
            _ => e => e.TargetOwnerId == actor.Id,
        };
        var entries = await db.OnboardingEntries.AsNoTracking().Where(where).OrderByDescending(e => e.Id).ToPageAsync(page, ct);
        return entries.With(await SummarizeAsync(db, entries.Items, ct));
    }

    public async Task<IReadOnlyList<OnboardingItemRow>> ItemsAsync(Actor actor, long entryId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await RequireVisibleAsync(db, actor, entryId, ct);
        return await db.OnboardingItems.AsNoTracking().Where(i => i.EntryId == entryId).OrderBy(i => i.Id)
            .Join(db.Devices, i => i.DeviceId, d => d.Id,
                (i, d) => new OnboardingItemRow(i.Id, d.Sn, d.Type, d.Model, i.Status, i.SubmittedAtUtc, i.DecidedAtUtc))
            .ToListAsync(ct);
    }

    /// <summary>
    /// The manufacturer submits devices. Every row gets its own verdict; rows that pass are registered and held
    /// for the owner's authorization in one transaction, rows that fail change nothing.
    /// </summary>
    public async Task<OnboardingSubmission> SubmitAsync(Actor actor, long entryId, IEnumerable<OnboardingRow> rows, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var entry = await db.OnboardingEntries.SingleOrDefaultAsync(e => e.Id == entryId, ct)
            ?? throw TouchpointException.NotFound("进件入口不存在");
        if (entry.ManufacturerId != actor.Id)
        {
            throw TouchpointException.Forbidden("该进件入口不是发给您的");
        }
        if (entry.Closed)
        {
            throw TouchpointException.Invalid("该进件入口已关闭");
        }
        var candidates = OnboardingRowRules.Check(rows);
        if (candidates.Count == 0)
        {
            throw TouchpointException.Invalid("请至少填写一台设备");
        }
        var sns = candidates.Where(c => c.Ok).Select(c => c.Sn!).ToList();
        var existing = await db.Devices.Where(d => sns.Contains(d.Sn)).ToDictionaryAsync(d => d.Sn, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var hold = $"onboarding:{entry.Id}";
        var results = new List<OnboardingRowResult>();
        var accepted = new List<Device>();
        foreach (var c in candidates)
        {
            var reason = c.Error ?? RejectReason(existing.GetValueOrDefault(c.Sn!), actor.Id);
            if (reason is not null)
            {
                results.Add(new OnboardingRowResult(c.Line, c.Sn ?? c.RawSn, false, reason));
                continue;
            }
            var device = existing.GetValueOrDefault(c.Sn!);
            if (device is null)
            {
                device = new Device
                {
                    Sn = c.Sn!, Type = c.Type, Model = c.Model, ManufacturerId = actor.Id, AndroidVersion = c.AndroidVersion,
                    ShipmentChannel = ShipmentChannel.ManufacturerDirect, Capabilities = DeviceDefaults.Capabilities(c.Type),
                    AntOs = DeviceDefaults.AntOs(c.Type), CreatedAtUtc = now,
                };
                db.Devices.Add(device);
            }
            device.TransferType = c.TransferType;
            device.HeldBy = hold;
            device.Revision++;
            accepted.Add(device);
            results.Add(new OnboardingRowResult(c.Line, c.Sn!, true, null));
        }
        if (accepted.Count > 0)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveOrConflictAsync(ct);
            db.OnboardingItems.AddRange(accepted.Select(d => new OnboardingItem
            {
                EntryId = entry.Id, DeviceId = d.Id, Status = OnboardingItemStatus.PendingAuthorization, SubmittedAtUtc = now,
            }));
            AuditLog.Add(db, clock, actor.Id, AuditAction.OnboardingSubmitted, entry.TargetOwnerId, null,
                $"厂商通过进件入口 #{entry.Id} 提交 {accepted.Count} 台设备，待所有者授权");
            await db.SaveOrConflictAsync(ct);
            await tx.CommitAsync(ct);
        }
        return new OnboardingSubmission(accepted.Count, results.Count - accepted.Count, results);
    }

    /// <summary>The target owner accepts (becoming owner) or declines (devices go back to stock) pending items.</summary>
    public async Task<int> DecideAsync(Actor actor, long entryId, IReadOnlyCollection<long>? itemIds, bool accept, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var entry = await db.OnboardingEntries.SingleOrDefaultAsync(e => e.Id == entryId, ct)
            ?? throw TouchpointException.NotFound("进件入口不存在");
        if (entry.TargetOwnerId != actor.Id)
        {
            throw TouchpointException.Forbidden("只有该进件入口指定的设备所有者可以授权");
        }
        var items = await db.OnboardingItems
            .Where(i => i.EntryId == entryId && i.Status == OnboardingItemStatus.PendingAuthorization)
            .Where(i => itemIds == null || itemIds.Contains(i.Id)).ToListAsync(ct);
        if (items.Count == 0 || (itemIds is not null && items.Count != itemIds.Count))
        {
            throw TouchpointException.Invalid(items.Count == 0 ? "没有待授权的设备" : "部分设备已处理或不属于该进件入口，请刷新后重试");
        }
        var deviceIds = items.Select(i => i.DeviceId).ToList();
        var devices = await db.Devices.Where(d => deviceIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var item in items)
        {
            var device = devices[item.DeviceId];
            item.Status = accept ? OnboardingItemStatus.Authorized : OnboardingItemStatus.Declined;
            item.DecidedAtUtc = now;
            device.HeldBy = null;
            device.Revision++;
            if (accept)
            {
                device.OwnerId = actor.Id;
                device.OwnershipUpdatedAtUtc = now;
            }
            AuditLog.Add(db, clock, actor.Id, accept ? AuditAction.OwnershipAuthorized : AuditAction.OnboardingDeclined, actor.Id,
                (device.Id, device.Sn), accept ? $"通过进件入口 #{entry.Id} 授权，成为设备所有者" : $"拒绝进件入口 #{entry.Id} 的设备");
        }
        await db.SaveOrConflictAsync(ct);
        return items.Count;
    }

    private static string? RejectReason(Device? device, long manufacturerId) => device switch
    {
        null => null,
        { OwnerId: not null } => "该设备已有所有者",
        { HeldBy: not null } => "该设备正在其他进件或申购流程中",
        _ when device.ManufacturerId != manufacturerId => "该 SN 已由其他厂商登记",
        _ => null,
    };

    private static async Task RequireVisibleAsync(TouchpointDb db, Actor actor, long entryId, CancellationToken ct)
    {
        var entry = await db.OnboardingEntries.AsNoTracking().SingleOrDefaultAsync(e => e.Id == entryId, ct)
            ?? throw TouchpointException.NotFound("进件入口不存在");
        if (!actor.Is(AccountRole.Operator) && entry.ManufacturerId != actor.Id && entry.TargetOwnerId != actor.Id)
        {
            throw TouchpointException.Forbidden("您无权查看该进件入口");
        }
    }

    private static async Task<IReadOnlyList<OnboardingEntrySummary>> ListAsync(TouchpointDb db,
        System.Linq.Expressions.Expression<Func<OnboardingEntry, bool>> where, CancellationToken ct) =>
        await SummarizeAsync(db, await db.OnboardingEntries.AsNoTracking().Where(where).ToListAsync(ct), ct);

    private static async Task<IReadOnlyList<OnboardingEntrySummary>> SummarizeAsync(TouchpointDb db, IReadOnlyList<OnboardingEntry> entries,
        CancellationToken ct)
    {
        var ids = entries.Select(e => e.Id).ToList();
        var counts = (await db.OnboardingItems.Where(i => ids.Contains(i.EntryId))
                .GroupBy(i => new { i.EntryId, i.Status }).Select(g => new { g.Key.EntryId, g.Key.Status, Count = g.Count() })
                .ToListAsync(ct))
            .ToDictionary(x => (x.EntryId, x.Status), x => x.Count);
        var accountIds = entries.SelectMany(e => new[] { e.ManufacturerId, e.TargetOwnerId }).Distinct().ToList();
        var names = await db.Accounts.Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.DisplayName, ct);
        int Count(long id, OnboardingItemStatus s) => counts.GetValueOrDefault((id, s));
        return entries.Select(e => new OnboardingEntrySummary(e.Id, e.ManufacturerId, names[e.ManufacturerId], e.TargetOwnerId,
            names[e.TargetOwnerId], e.Note, e.CreatedAtUtc, e.Closed, Count(e.Id, OnboardingItemStatus.PendingAuthorization),
            Count(e.Id, OnboardingItemStatus.Authorized), Count(e.Id, OnboardingItemStatus.Declined))).ToList();
    }

}
