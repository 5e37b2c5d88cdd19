using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Distribution;
using Touchpoint.Server.Distribution;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Demo;

/// <summary>
/// Demo mode's distribution catalogue: the partner app 云点收银台 that the simulated terminals run at an old version
/// (1.2.0), with two newer versions, and the sandbox mini-program 云点会员 — so an SDK user distributes at once.
/// The artifacts are placeholder packages the seeder writes (no APK builder ships with the server); what the console
/// and the API upload is read as a real APK.
/// </summary>
public static class DemoCatalogue
{
    public const string PosPackage = "com.yundian.pos";
    public const string PosName = "云点收银台";
    public const long PosInstalledCode = 120;
    public const string PosInstalledVersion = "1.2.0";

    public static async Task<IReadOnlyList<string>> SeedAsync(TouchpointDb db, ArtifactStore store, long merchantId, string miniAppId, DateTime now,
        CancellationToken ct)
    {
        if (await db.CatalogueApps.AnyAsync(a => a.PackageName == PosPackage && a.OwnerId == merchantId, ct))
        {
            return await db.CatalogueApps.Where(a => a.OwnerId == merchantId).OrderBy(a => a.Id).Select(a => a.AppId).ToListAsync(ct);
        }
        var pos = new CatalogueApp
        {
            AppId = "3026" + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture) + "001",
            Name = PosName, Kind = CatalogueKind.PartnerApp, OwnerId = merchantId, PackageName = PosPackage, IsOpen = true,
            CertificateSha256 = Convert.ToHexStringLower(SHA256.HashData("touchpoint demo signing certificate"u8)),
            Description = "云点餐厅的收银应用（演示）", CreatedAtUtc = now,
        };
        var mini = new CatalogueApp
        {
            AppId = miniAppId, Name = "云点会员", Kind = CatalogueKind.MiniProgram, OwnerId = merchantId,
            PackageName = CatalogueNames.DevicePackage(CatalogueKind.MiniProgram, miniAppId, null), IsOpen = true,
            Description = "云点餐厅的会员小程序（演示）", CreatedAtUtc = now,
        };
        db.CatalogueApps.AddRange(pos, mini);
        await db.SaveChangesAsync(ct);
        foreach (var (app, code, name, size) in new[]
        {
            (pos, 120L, "1.2.0", 2 << 20), (pos, 150L, "1.5.0", 2 << 20), (pos, 200L, "2.0.0", 3 << 20),
            (mini, 1L, "1.0.0", 256 << 10), (mini, 2L, "1.1.0", 256 << 10),
        })
        {
            var bytes = Placeholder($"{app.AppId}:{code}", size);
            await using var staged = await store.StageAsync(new MemoryStream(bytes), long.MaxValue, ct);
            store.Commit(staged);
            db.AppVersions.Add(new AppVersion
            {
                CatalogueAppId = app.Id, VersionCode = code, VersionName = name, MinSdk = app.Kind == CatalogueKind.PartnerApp ? 24 : null,
                ArtifactSha256 = staged.Sha256, SizeBytes = staged.Size, CertificateSha256 = app.CertificateSha256, SignatureScheme = app.CertificateSha256 is null ? null : "v2",
                FileName = app.Kind == CatalogueKind.PartnerApp ? $"yundian-pos-{name}.apk" : $"yundian-member-{name}.amr",
                ReleaseNotes = $"{name}：演示版本", CreatedById = merchantId, CreatedAtUtc = now,
            });
        }
        await db.SaveChangesAsync(ct);
        return [pos.AppId, mini.AppId];
    }

    private static byte[] Placeholder(string seed, int size)
    {
        var bytes = new byte[size];
        var block = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        for (var i = 0; i < size; i++)
        {
            bytes[i] = block[i % block.Length];
        }
        return bytes;
    }
}
