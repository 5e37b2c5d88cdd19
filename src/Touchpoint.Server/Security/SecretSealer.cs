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
