using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Sdk;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.OpenApi;

/// <summary>Holds the platform key pair; loaded (or made, once per deployment) before the gateway serves. The private key is sealed at rest.</summary>
public sealed class PlatformKeyring(IDbContextFactory<TouchpointDb> factory, Security.SecretBox secrets, TimeProvider clock,
    ILogger<PlatformKeyring> logger)
{
    private RSA? _privateKey;

    /// <summary>支付宝公钥: bare base64 SPKI, what apps copy into their SDK configuration.</summary>
    public string PublicKey { get; private set; } = "";

    public RSA PrivateKey => _privateKey ?? throw new InvalidOperationException("The platform key is not loaded yet.");

    public async Task LoadOrCreateAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.PlatformKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == PlatformKey.SingletonId, ct);
        if (row is null)
        {
            using var rsa = RSA.Create(2048);
            db.PlatformKeys.Add(new PlatformKey
            {
                Id = PlatformKey.SingletonId,
                PrivateKeyPem = secrets.Seal(RsaKeys.ExportPrivateKeyPkcs1Pem(rsa)),
                PublicKey = RsaKeys.ExportPublicKeyBase64(rsa),
                CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
            });
            try
            {
                await db.SaveChangesAsync(ct);
                logger.LogInformation("Generated the platform key pair");
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                // Another node made it first; use theirs.
            }
            db.ChangeTracker.Clear();
            row = await db.PlatformKeys.AsNoTracking().SingleAsync(k => k.Id == PlatformKey.SingletonId, ct);
        }
        _privateKey = RsaKeys.ImportPrivateKey(secrets.Open(row.PrivateKeyPem));
        PublicKey = row.PublicKey;
    }
}
