using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Common;
using Touchpoint.Core.Posters;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Distribution;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Posters;

/// <summary>
/// Each account's poster library: uploads checked by their bytes, stored content-addressed beside the distribution
/// artifacts (one copy of the same image), with a thumbnail. Merchants and service providers keep merchant posters;
/// the operator's uploads are official posters for campaigns.
/// </summary>
public sealed class PosterLibrary(IDbContextFactory<TouchpointDb> factory, ArtifactStore store, TimeProvider clock)
{
    public async Task<PosterView> UploadAsync(Actor actor, string? name, Stream body, CancellationToken ct)
    {
        if (actor.Role == AccountRole.Manufacturer)
        {
            throw TouchpointException.Forbidden("厂商账号不能上传海报");
        }
        var poster = await StoreAsync(actor.Id, actor.Id, actor.Role == AccountRole.Operator ? PosterKind.Official : PosterKind.Merchant, name, body, ct);
        return View(poster, 0);
    }

    /// <summary>Checks and stores an image as a poster of <paramref name="ownerId"/>'s library.</summary>
    internal async Task<Poster> StoreAsync(long ownerId, long? createdById, PosterKind kind, string? name, Stream body, CancellationToken ct)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw TouchpointException.Invalid("请填写海报名称");
        }
        if (trimmed.Length > Poster.NameMaxLength)
        {
            throw TouchpointException.Invalid($"海报名称不能超过 {Poster.NameMaxLength} 个字");
        }
        var bytes = body is MemoryStream held ? held.ToArray() : (await PosterImages.ReadBoundedAsync(body, ct)).ToArray();
        var image = PosterImages.Check(bytes);
        var imageSha = await PutAsync(bytes, ct);
        var thumbSha = await PutAsync(image.Thumbnail, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var poster = new Poster
        {
            OwnerId = ownerId, Name = trimmed, Kind = kind, ImageSha256 = imageSha, ContentType = image.ContentType, Width = image.Width,
            Height = image.Height, SizeBytes = bytes.Length, ThumbnailSha256 = thumbSha, CreatedById = createdById,
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
        };
        db.Posters.Add(poster);
        if (createdById is { } actorId)
        {
            Audit.AuditLog.Add(db, clock, actorId, Core.Audit.AuditAction.PosterUploaded, ownerId, null,
                $"上传海报「{trimmed}」（{image.Width}×{image.Height}，{bytes.Length / 1024} KB）");
        }
        await db.SaveChangesAsync(ct);
        return poster;
    }

    public async Task<IReadOnlyList<PosterView>> ListAsync(Actor actor, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.Posters.AsNoTracking().Where(p => p.OwnerId == actor.Id).OrderByDescending(p => p.Id)
            .Select(p => new { Poster = p, Live = db.DevicePosters.Count(d => d.PosterId == p.Id && d.RemovedAtUtc == null) })
            .Take(500).ToListAsync(ct);
        return rows.Select(r => View(r.Poster, r.Live)).ToList();
    }

    /// <summary>
    /// A poster's image or thumbnail file: its owner sees it, the operator sees every one, and so does whoever sees a
    /// device it is placed on (the troubleshooting tool shows what a device holds).
    /// </summary>
    public async Task<(string Path, string ContentType)> FileAsync(Actor actor, long posterId, bool thumbnail, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var poster = await db.Posters.AsNoTracking().SingleOrDefaultAsync(p => p.Id == posterId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var visible = poster is not null && (poster.OwnerId == actor.Id || actor.Role == AccountRole.Operator ||
            await db.DevicePosters.AnyAsync(dp => dp.PosterId == posterId && dp.RemovedAtUtc == null &&
                (db.Devices.Any(d => d.Id == dp.DeviceId && d.OwnerId == actor.Id) || DeviceAccess.GrantedTo(db, actor.Id, now).Any(d => d.Id == dp.DeviceId)), ct));
        if (!visible)
        {
            throw TouchpointException.NotFound("海报不存在");
        }
        var sha = thumbnail ? poster!.ThumbnailSha256 : poster!.ImageSha256;
        return (store.PathOf(sha), thumbnail ? "image/jpeg" : poster.ContentType);
    }

    internal static PosterView View(Poster p, int live) => new(p.Id, p.Name, p.Kind == PosterKind.Merchant ? "商家海报" : "官方海报", p.ContentType,
        p.Width, p.Height, p.SizeBytes, ThumbnailUrl(p.Id), p.CreatedAtUtc, live);

    public static string ThumbnailUrl(long posterId) => $"/api/posters/{posterId}/thumbnail";

    private async Task<string> PutAsync(byte[] bytes, CancellationToken ct)
    {
        await using var staged = await store.StageAsync(new MemoryStream(bytes), PosterImages.MaxBytes, ct);
        store.Commit(staged);
        return staged.Sha256;
    }
}
