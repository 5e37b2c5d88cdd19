using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Sdk;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.OpenApi;

/// <summary>
/// What the gateway needs of an app on every call, with its public key parsed once. <see cref="Row"/> is a snapshot:
/// read-only methods answer from it; methods that change or decide something read the database.
/// </summary>
public sealed record GatewayApp(DeveloperApp Row, AccountRole OwnerRole, RSA? PublicKey, string? AesKey)
{
    public long Id => Row.Id;
    public string AppId => Row.AppId;
    public long OwnerId => Row.OwnerId;
    public AppKind Kind => Row.Kind;
}

/// <summary>An active app_auth_token: which third-party app may act for which merchant app.</summary>
public sealed record GatewayToken(long MerchantAppId, string MerchantAppCode, long ThirdPartyAppId);

/// <summary>
/// A short-lived cache of app keys and tokens so that a signed call costs one verify and one sign, not database
/// round trips. Changes on this node are forgotten at once; other nodes see them within <see cref="OpenApiOptions.AppCacheSeconds"/>.
/// Only apps and tokens that exist are cached (a flood of made-up app ids must not fill memory), each entry counts
/// one unit against the cache's size limit, and an evicted app's RSA key is disposed once no call can still hold it.
/// </summary>
public sealed class AppDirectory(IDbContextFactory<TouchpointDb> factory, BoundedCache cache, IOptions<OpenApiOptions> options,
    Security.SecretBox secrets)
{
    private TimeSpan Ttl => TimeSpan.FromSeconds(options.Value.AppCacheSeconds);

    /// <summary>Tokens are looked up by this hash; the token itself is sealed.</summary>
    public static string HashToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token.Trim())));

    public async Task<GatewayApp?> FindAppAsync(string appId, CancellationToken ct)
    {
        if (cache.TryGetValue(AppKey(appId), out GatewayApp? hit))
        {
            return hit;
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await (from a in db.DeveloperApps.AsNoTracking()
                         join o in db.Accounts on a.OwnerId equals o.Id
                         where a.AppId == appId
                         select new { App = a, o.Role }).SingleOrDefaultAsync(ct);
        GatewayApp? app = null;
        if (row is not null)
        {
            RSA? key = null;
            if (row.App.PublicKey is not null)
            {
                try
                {
                    key = RsaKeys.ImportPublicKey(row.App.PublicKey);
                }
                catch (Exception e) when (e is FormatException or CryptographicException)
                {
                    key = null;
                }
            }
            app = new GatewayApp(row.App, row.Role, key, secrets.OpenOrNull(row.App.AesKey));
            var entry = new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Ttl };
            if (key is not null)
            {
                // A call that read the entry just before eviction may still verify with the key for a moment.
                entry.RegisterPostEvictionCallback(static (_, value, _, _) =>
                    _ = Task.Delay(TimeSpan.FromMinutes(1)).ContinueWith(_ => ((GatewayApp)value!).PublicKey?.Dispose(), TaskScheduler.Default));
            }
            cache.Set(AppKey(appId), app, entry);
        }
        return app;
    }

    public async Task<GatewayToken?> FindTokenAsync(string token, CancellationToken ct)
    {
        var hash = HashToken(token);
        if (cache.TryGetValue(TokenKey(hash), out GatewayToken? hit))
        {
            return hit;
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var found = await (from a in db.AppAuthorizations.AsNoTracking()
                           join m in db.DeveloperApps on a.MerchantAppId equals m.Id
                           where a.TokenHash == hash && a.RevokedAtUtc == null
                           select new GatewayToken(a.MerchantAppId, m.AppId, a.ThirdPartyAppId)).SingleOrDefaultAsync(ct);
        if (found is not null)
        {
            cache.Set(TokenKey(hash), found, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Ttl });
        }
        return found;
    }

    public void Forget(string appId) => cache.Remove(AppKey(appId));

    public void ForgetToken(string tokenHash) => cache.Remove(TokenKey(tokenHash));

    private static string AppKey(string appId) => "app:" + appId;
    private static string TokenKey(string tokenHash) => "token:" + tokenHash;
}
