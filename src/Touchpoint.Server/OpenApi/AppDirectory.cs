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
public sealed record GatewayApp(DeveloperApp Row, AccountRole OwnerRole, RSA? PublicKey)
{
    public long Id => Row.Id;
    public string AppId => Row.AppId;
    public long OwnerId => Row.OwnerId;
    public AppKind Kind => Row.Kind;
    public string? AesKey => Row.AesKey;
}

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
            app = new GatewayApp(row.App, row.Role, key);
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
