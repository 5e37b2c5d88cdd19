using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Touchpoint.Core.Common;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Grants;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.DeviceChannel;

public sealed record IssuedCredential(string Sn, string PrivateKeyPem, DateTime IssuedAtUtc);

/// <summary>Device identities: issue (private key shown once), revoke, and the public keys the broker checks against.</summary>
public sealed class DeviceCredentialService(IDbContextFactory<TouchpointDb> factory, Devices.DeviceAccess access, BoundedCache cache,
    IServiceProvider services, TimeProvider clock, ILogger<DeviceCredentialService> logger)
{
    private static readonly TimeSpan CacheTime = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The previous key stops working, so this is decided like remote management (<see cref="DeviceOperation.IssueKey"/>):
    /// the owner, a grantee with 远程管理, or the manufacturer while the device has no owner.
    /// </summary>
    public async Task<IssuedCredential> IssueAsync(Actor actor, string sn, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.IssueKey, ct);
        return await IssueAsync(db, device.Id, device.Sn, actor.Id, ct);
    }

    /// <summary>Issues without an actor check (demo seeding, tests' own set-up).</summary>
    public async Task<IssuedCredential> IssueForDeviceAsync(string sn, long issuedById, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var deviceId = await db.Devices.Where(d => d.Sn == sn).Select(d => d.Id).SingleAsync(ct);
        return await IssueAsync(db, deviceId, sn, issuedById, ct);
    }

    /// <summary>
    /// The active public key of a device, or null (unknown SN, never issued, or revoked); the caller disposes it.
    /// Only found keys are cached, as bytes: SNs made up by a client never fill memory, and no cached key object
    /// outlives its use.
    /// </summary>
    public async Task<ECDsa?> FindKeyAsync(string sn, CancellationToken ct)
    {
        if (!cache.TryGetValue("devkey:" + sn, out byte[]? spki))
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var key = await (from c in db.DeviceCredentials
                             join d in db.Devices on c.DeviceId equals d.Id
                             where d.Sn == sn && c.RevokedAtUtc == null
                             orderby c.Id descending
                             select c.PublicKey).FirstOrDefaultAsync(ct);
            if (key is null)
            {
                return null;
            }
            spki = Convert.FromBase64String(key);
            cache.Set("devkey:" + sn, spki, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = CacheTime });
        }
        var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
        return ecdsa;
    }

    private async Task<IssuedCredential> IssueAsync(TouchpointDb db, long deviceId, string sn, long issuedById, CancellationToken ct)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = clock.GetUtcNow().UtcDateTime;
        // The broker learns the new password inside the transaction: if it refuses, the old key stays the valid one.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.DeviceCredentials.Where(c => c.DeviceId == deviceId && c.RevokedAtUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RevokedAtUtc, now), ct);
        db.DeviceCredentials.Add(new DeviceCredential
        {
            DeviceId = deviceId, PublicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), IssuedAtUtc = now, IssuedById = issuedById,
        });
        await db.SaveChangesAsync(ct);
        var accounts = services.GetRequiredService<IDeviceAccounts>();
        try
        {
            await accounts.SetPasswordAsync(sn, BrokerPassword.Derive(key, sn), ct);
        }
        catch (BrokerAccountException e)
        {
            logger.LogError("Device key for {Sn} not issued: {Error}", sn, e.Message);
            throw TouchpointException.Unavailable($"MQTT 代理未能更新设备 {sn} 的账号，密钥未签发，请稍后重试");
        }
        await transaction.CommitAsync(ct);
        cache.Remove("devkey:" + sn);
        try
        {
            // A session opened with the old key ends now (an external broker has dropped it already with the password).
            await accounts.DisconnectAsync(sn, ct);
        }
        catch (BrokerAccountException e)
        {
            logger.LogWarning("Device {Sn} has a new key, but its old session could not be closed: {Error}", sn, e.Message);
        }
        return new IssuedCredential(sn, key.ExportPkcs8PrivateKeyPem(), now);
    }
}
