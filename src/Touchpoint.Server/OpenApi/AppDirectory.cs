using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Sdk;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.OpenApi;

/// <summary>What the gateway needs of an app on every call, with its public key parsed once.</summary>
public sealed record GatewayApp(long Id, string AppId, long OwnerId, AccountRole OwnerRole, AppKind Kind, RSA? PublicKey, string? AesKey);

/// <summary>An active app_auth_token: which third-party app may act for which merchant app.</summary>
public sealed record GatewayToken(long MerchantAppId, string MerchantAppCode, long ThirdPartyAppId);

/// <summary>
/// A short-lived cache of app keys and tokens so that a signed call costs one verify and one sign, not database
/// round trips. Changes on this node are forgotten at once; other nodes see them within <see cref="OpenApiOptions.AppCacheSeconds"/>.
/// </summary>
public sealed class AppDirectory(IDbContextFactory<TouchpointDb> factory, IMemoryCache cache, IOptions<OpenApiOptions> options)
{
    private TimeSpan Ttl => TimeSpan.FromSeconds(options.Value.AppCacheSeconds);

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
                         select new { a.Id, a.AppId, a.OwnerId, o.Role, a.Kind, a.PublicKey, a.AesKey }).SingleOrDefaultAsync(ct);
        GatewayApp? app = null;
        if (row is not null)
        {
            RSA? key = null;
            if (row.PublicKey is not null)
            {
                try
                {
                    key = RsaKeys.ImportPublicKey(row.PublicKey);
                }
                catch (Exception e) when (e is FormatException or CryptographicException)
                {
                    key = null;
                }
            }
            app = new GatewayApp(row.Id, row.AppId, row.OwnerId, row.Role, row.Kind, key, row.AesKey);
        }
        // Unknown app_ids are cached too, briefly, so that a flood of bad calls does not reach the database.
        cache.Set(AppKey(appId), app, Ttl);
        return app;
    }

    public async Task<GatewayToken?> FindTokenAsync(string token, CancellationToken ct)
    {
        if (cache.TryGetValue(TokenKey(token), out GatewayToken? hit))
        {
            return hit;
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var found = await (from a in db.AppAuthorizations.AsNoTracking()
                           join m in db.DeveloperApps on a.MerchantAppId equals m.Id
                           where a.Token == token && a.RevokedAtUtc == null
                           select new GatewayToken(a.MerchantAppId, m.AppId, a.ThirdPartyAppId)).SingleOrDefaultAsync(ct);
        cache.Set(TokenKey(token), found, Ttl);
        return found;
    }

    public void Forget(string appIdOrToken)
    {
        cache.Remove(AppKey(appIdOrToken));
        cache.Remove(TokenKey(appIdOrToken));
    }

    private static string AppKey(string appId) => "app:" + appId;
    private static string TokenKey(string token) => "token:" + token;
}
