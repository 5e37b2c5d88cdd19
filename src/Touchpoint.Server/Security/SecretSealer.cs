using Microsoft.EntityFrameworkCore;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.OpenApi;

namespace Touchpoint.Server.Security;

/// <summary>
/// Seals secrets written in clear by versions before sealing existed (the migration "Trust" cannot: the key ring is
/// not SQL). Runs at start after the migrations; a row already sealed is left alone, so running it again, or on
/// several nodes at once, changes nothing. Nothing is dropped: each clear value is replaced by its sealed form.
/// </summary>
public sealed class SecretSealer(IDbContextFactory<TouchpointDb> factory, SecretBox secrets, ILogger<SecretSealer> logger)
{
    /// <summary>
    /// Makes sure the key ring has its first key before anything is sealed. On PostgreSQL under an advisory lock: two
    /// nodes starting together on an empty ring would otherwise each make a key the other has not loaded yet.
    /// </summary>
    public async Task EnsureKeyRingAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!db.Database.IsNpgsql())
        {
            secrets.Seal("key-ring-probe");
            return;
        }
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(74270010)", ct);
            secrets.Seal("key-ring-probe"); // the first node makes the key; the others find it when they get the lock
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(74270010)", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }

    public async Task SealLegacyAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var keys = await db.PlatformKeys.Where(k => !k.PrivateKeyPem.StartsWith(SecretBox.Prefix)).ToListAsync(ct);
        foreach (var key in keys)
        {
            key.PrivateKeyPem = secrets.Seal(key.PrivateKeyPem);
        }
        var apps = await db.DeveloperApps.Where(a => a.AesKey != null && !a.AesKey.StartsWith(SecretBox.Prefix)).ToListAsync(ct);
        foreach (var app in apps)
        {
            app.AesKey = secrets.Seal(app.AesKey!);
        }
        var tokens = await db.AppAuthorizations.Where(a => !a.Token.StartsWith(SecretBox.Prefix)).ToListAsync(ct);
        foreach (var authorization in tokens)
        {
            authorization.TokenHash = AppDirectory.HashToken(authorization.Token);
            authorization.Token = secrets.Seal(authorization.Token);
        }
        if (keys.Count + apps.Count + tokens.Count > 0)
        {
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Sealed {Keys} platform key(s), {Apps} AES key(s) and {Tokens} app_auth_token(s) stored in clear by an older version",
                keys.Count, apps.Count, tokens.Count);
        }
    }
}
