using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Audit;
using Touchpoint.Core.Common;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Grants;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Audit;
using Touchpoint.Server.Common;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Grants;

/// <summary>发起授权: grantee by id or login name, devices by SN, at least one permission, optional last day (China date).</summary>
public sealed record NewGrant(long? GranteeId, string? GranteeLogin, IReadOnlyList<string> DeviceSns, GrantPermissions Permissions,
    DateOnly? LastDay = null, string? Note = null);

public enum GrantState { Active, Expired, Revoked }

public sealed record GrantSummary(long Id, long OwnerId, string OwnerName, long GranteeId, string GranteeName,
    GrantPermissions Permissions, DateTime? ExpiresAtUtc, DateTime CreatedAtUtc, DateTime? RevokedAtUtc, GrantState State,
    IReadOnlyList<string> DeviceSns, string? Note);

public sealed class GrantService(IDbContextFactory<TouchpointDb> factory, TimeProvider clock, IEnumerable<IGrantChanged> listeners,
    ILogger<GrantService> logger)
{
    public const int MaxDevicesPerGrant = 1000;

    public async Task<GrantSummary> CreateAsync(Actor actor, NewGrant request, CancellationToken ct = default)
    {
        if (!actor.Is(AccountRole.Merchant) && !actor.Is(AccountRole.ServiceProvider))
        {
            throw TouchpointException.Forbidden("只有设备所有者（商家或服务商）可以发起授权");
        }
        if ((request.Permissions & GrantPermissions.All) == GrantPermissions.None || (request.Permissions & ~GrantPermissions.All) != 0)
        {
            throw TouchpointException.Invalid("请至少选择一种权限：海报投放、应用分发、播报运营、远程管理");
        }
        if (request.LastDay is { } lastDay && lastDay < ChinaTime.Today(clock))
        {
            throw TouchpointException.Invalid("授权截止日期不能早于今天");
        }
        var sns = request.DeviceSns.Select(DeviceSn.Normalize).Distinct().ToList();
        if (sns.Count == 0)
        {
            throw TouchpointException.Invalid("请选择要授权的设备");
        }
        if (sns.Count > MaxDevicesPerGrant)
        {
            throw TouchpointException.Invalid($"一次最多授权 {MaxDevicesPerGrant} 台设备");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var grantee = await FindGranteeAsync(db, request, ct);
        if (grantee.Id == actor.Id)
        {
            throw TouchpointException.Invalid("不能授权给自己");
        }
        var devices = await db.Devices.Where(d => sns.Contains(d.Sn)).Select(d => new { d.Id, d.Sn, d.OwnerId }).ToListAsync(ct);
        var unknown = sns.Except(devices.Select(d => d.Sn)).ToList();
        if (unknown.Count > 0)
        {
            throw TouchpointException.NotFound($"设备不存在：{string.Join("、", unknown.Take(10))}");
        }
        var notMine = devices.Where(d => d.OwnerId != actor.Id).Select(d => d.Sn).ToList();
        if (notMine.Count > 0)
        {
            throw TouchpointException.Forbidden($"只能授权您名下的设备，以下设备不属于您：{string.Join("、", notMine.Take(10))}");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var grant = new Grant
        {
            OwnerId = actor.Id,
            GranteeId = grantee.Id,
            Permissions = request.Permissions,
            ExpiresAtUtc = request.LastDay is { } day ? ChinaTime.EndOfDayUtc(day) : null,
            CreatedAtUtc = now,
            Note = OptionalText.Clip(request.Note, 200),
            Devices = devices.Select(d => new GrantDevice { DeviceId = d.Id }).ToList(),
        };
        db.Grants.Add(grant);
        var until = request.LastDay is { } d2 ? $"，有效期至 {d2:yyyy-MM-dd}" : "，长期有效";
        foreach (var device in devices)
        {
            AuditLog.Add(db, clock, actor.Id, AuditAction.GrantCreated, actor.Id, (device.Id, device.Sn),
                $"授权给 {grantee.DisplayName}：{request.Permissions.Chinese()}{until}");
        }
        await db.SaveChangesAsync(ct);
        await TellAsync(grant.Id, devices.Select(d => d.Id).ToList(), ct);
        return (await ListAsync(db, g => g.Id == grant.Id, ct))[0];
    }

    private async Task TellAsync(long grantId, IReadOnlyCollection<long> deviceIds, CancellationToken ct)
    {
        foreach (var listener in listeners)
        {
            try
            {
                await listener.GrantChangedAsync(deviceIds, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "After a change to grant {GrantId}, {Listener} failed; its devices catch up when they connect", grantId, listener.GetType().Name);
            }
        }
    }

    public async Task<GrantSummary> RevokeAsync(Actor actor, long grantId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var grant = await db.Grants.Include(g => g.Devices).SingleOrDefaultAsync(g => g.Id == grantId, ct)
            ?? throw TouchpointException.NotFound("授权不存在");
        if (grant.OwnerId != actor.Id)
        {
            throw TouchpointException.Forbidden("只有发起授权的设备所有者可以撤销该授权");
        }
        if (grant.RevokedAtUtc is not null)
        {
            throw TouchpointException.Conflict("该授权已撤销");
        }
        grant.RevokedAtUtc = clock.GetUtcNow().UtcDateTime;
        var granteeName = await db.Accounts.Where(a => a.Id == grant.GranteeId).Select(a => a.DisplayName).SingleAsync(ct);
        var deviceIds = grant.Devices.Select(d => d.DeviceId).ToList();
        foreach (var device in await db.Devices.Where(d => deviceIds.Contains(d.Id)).Select(d => new { d.Id, d.Sn }).ToListAsync(ct))
        {
            AuditLog.Add(db, clock, actor.Id, AuditAction.GrantRevoked, actor.Id, (device.Id, device.Sn),
                $"撤销对 {granteeName} 的授权（{grant.Permissions.Chinese()}）");
        }
        await db.SaveChangesAsync(ct);
        await TellAsync(grant.Id, deviceIds, ct);
        return (await ListAsync(db, g => g.Id == grant.Id, ct))[0];
    }

    /// <summary>授权的设备: grants I issued, newest first.</summary>
    public async Task<Paged<GrantSummary>> ListIssuedAsync(Actor actor, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await PageAsync(db, g => g.OwnerId == actor.Id, page, ct);
    }

    /// <summary>Grants issued to me, newest first.</summary>
    public async Task<Paged<GrantSummary>> ListReceivedAsync(Actor actor, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await PageAsync(db, g => g.GranteeId == actor.Id, page, ct);
    }

    /// <summary>
    /// The other side of my active grants, for the device list's counterpart filter: who granted me devices
    /// (<paramref name="received"/>), or whom I granted devices to. Every one of them, however many grants there are.
    /// </summary>
    public async Task<IReadOnlyList<(long Id, string Name)>> ActiveCounterpartsAsync(Actor actor, bool received, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var active = db.Grants.Where(g => g.RevokedAtUtc == null && (g.ExpiresAtUtc == null || g.ExpiresAtUtc > now));
        var ids = received
            ? active.Where(g => g.GranteeId == actor.Id).Select(g => g.OwnerId)
            : active.Where(g => g.OwnerId == actor.Id).Select(g => g.GranteeId);
        var rows = await db.Accounts.Where(a => ids.Contains(a.Id)).OrderBy(a => a.DisplayName).Select(a => new { a.Id, a.DisplayName }).ToListAsync(ct);
        return rows.Select(a => (a.Id, a.DisplayName)).ToList();
    }

    private async Task<Account> FindGranteeAsync(TouchpointDb db, NewGrant request, CancellationToken ct)
    {
        Account? grantee = null;
        if (request.GranteeId is { } id)
        {
            grantee = await db.Accounts.SingleOrDefaultAsync(a => a.Id == id, ct);
        }
        else if (!string.IsNullOrWhiteSpace(request.GranteeLogin))
        {
            var login = request.GranteeLogin.Trim().ToLowerInvariant();
            grantee = await db.Accounts.SingleOrDefaultAsync(a => a.LoginName == login, ct);
        }
        if (grantee is null || grantee.Disabled)
        {
            throw TouchpointException.NotFound("被授权账号不存在，请核对登录名");
        }
        if (grantee.Role is not (AccountRole.Merchant or AccountRole.ServiceProvider))
        {
            throw TouchpointException.Invalid("只能授权给商家或服务商账号");
        }
        return grantee;
    }

    private async Task<Paged<GrantSummary>> PageAsync(TouchpointDb db, System.Linq.Expressions.Expression<Func<Grant, bool>> where,
        PageRequest page, CancellationToken ct)
    {
        var grants = await db.Grants.AsNoTracking().Where(where).OrderByDescending(g => g.Id).ToPageAsync(page, ct);
        return grants.With(await SummarizeAsync(db, grants.Items, ct));
    }

    private async Task<IReadOnlyList<GrantSummary>> ListAsync(TouchpointDb db, System.Linq.Expressions.Expression<Func<Grant, bool>> where,
        CancellationToken ct) =>
        await SummarizeAsync(db, await db.Grants.AsNoTracking().Where(where).ToListAsync(ct), ct);

    private async Task<IReadOnlyList<GrantSummary>> SummarizeAsync(TouchpointDb db, IReadOnlyList<Grant> grants, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var grantIds = grants.Select(g => g.Id).ToList();
        var accountIds = grants.SelectMany(g => new[] { g.OwnerId, g.GranteeId }).Distinct().ToList();
        var names = await db.Accounts.Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.DisplayName, ct);
        var sns = (await db.GrantDevices.Where(gd => grantIds.Contains(gd.GrantId))
                .Join(db.Devices, gd => gd.DeviceId, d => d.Id, (gd, d) => new { gd.GrantId, d.Sn }).ToListAsync(ct))
            .ToLookup(x => x.GrantId, x => x.Sn);
        return grants.Select(g => new GrantSummary(g.Id, g.OwnerId, names[g.OwnerId], g.GranteeId, names[g.GranteeId], g.Permissions,
            g.ExpiresAtUtc, g.CreatedAtUtc, g.RevokedAtUtc,
            g.RevokedAtUtc is not null ? GrantState.Revoked : g.IsActiveAt(now) ? GrantState.Active : GrantState.Expired,
            sns[g.Id].Order().ToList(), g.Note)).ToList();
    }
}
