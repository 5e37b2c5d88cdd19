using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Common;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Posters;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Posters;

/// <summary>
/// What the clerk's phone page shows for a device. A signed-in clerk (<paramref name="Clerk"/>) also sees the merchant's
/// poster library to pick from.
/// </summary>
public sealed record ClerkView(string Sn, string Merchant, bool AdminMode, string? Refusal, IReadOnlyList<PlacementView> Placements,
    string? Clerk = null, IReadOnlyList<ClerkLibraryPoster>? Library = null);

public sealed record ClerkLibraryPoster(long Id, string Name, int Width, int Height, string ThumbnailSha256);

/// <summary>
/// A clerk's poster: its name, the window, and who the clerk is (kept for the troubleshooting tool, shown masked). A
/// signed-in clerk is known by the account, so the name and phone of the form are not asked; it may pick
/// <paramref name="PosterId"/> from the merchant's library instead of uploading.
/// </summary>
public sealed record ClerkPlacement(string? Name, string? ClerkName, string? ClerkPhone, DateTime? Start, DateTime? End, long? PosterId = null);

/// <summary>What lets a clerk in: the one-time code from the device's screen, or a 店员账号 session.</summary>
public sealed record ClerkPass(string? Code, string? Session = null);

/// <summary>
/// 店员投放 (R18): while a device is not in admin mode its screen shows a QR code; the page it opens lets a clerk of the
/// store put a poster on that device. The code is a credential good for one placement: the placement moves the
/// device's schedule revision on, and the device then shows a new code. A 店员账号 the merchant made is the other: signed
/// in, the clerk reaches every device of that merchant outside admin mode, and may pick from the merchant's library.
/// </summary>
public sealed class ClerkPosters(IDbContextFactory<TouchpointDb> factory, PosterTokens tokens, PosterLibrary library,
    PosterDelivery delivery, StoreClerks clerks, TimeProvider clock)
{
    private const string Expired = "二维码已失效，请在设备屏幕上重新扫码";
    /// <summary>Said when a session no longer stands; the phone page drops its session on it.</summary>
    public const string SignedOut = "店员登录已失效（已过期、密码已重置或账号已停用），请重新登录";
    private const int LibraryShown = 50;

    public async Task<ClerkView> OpenAsync(string sn, ClerkPass pass, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var (device, revision, clerk) = await DeviceAsync(db, sn, pass, ct);
        if (clerk is null && !device.PosterAdminMode && revision != device.PosterRevision)
        {
            throw TouchpointException.NotFound(Expired); // a newer code is on the screen
        }
        var merchant = await db.Accounts.AsNoTracking().Where(a => a.Id == device.OwnerId).Select(a => a.DisplayName).SingleOrDefaultAsync(ct) ?? "";
        var placements = (await PosterPlacements.LiveAsync(db, device.Id, device.Sn, ct)).Where(p => p.Kind == "商家海报").ToList();
        var shelf = clerk is null ? null : await db.Posters.AsNoTracking()
            .Where(p => p.OwnerId == clerk.MerchantId && p.Kind == PosterKind.Merchant).OrderByDescending(p => p.Id).Take(LibraryShown)
            .Select(p => new ClerkLibraryPoster(p.Id, p.Name, p.Width, p.Height, p.ThumbnailSha256)).ToListAsync(ct);
        return new ClerkView(device.Sn, merchant, device.PosterAdminMode, AdminMode.Refusal(device.PosterAdminMode, PosterPath.Clerk), placements,
            clerk?.Name, shelf);
    }

    public async Task<PlacementView> PlaceAsync(string sn, ClerkPass pass, ClerkPlacement form, Stream? image, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var (device, revision, clerk) = await DeviceAsync(db, sn, pass, ct);
        if (AdminMode.Refusal(device.PosterAdminMode, PosterPath.Clerk) is { } refusal)
        {
            throw TouchpointException.Forbidden(refusal);
        }
        if (clerk is null && revision != device.PosterRevision)
        {
            throw TouchpointException.Forbidden(Expired);
        }
        if (form.PosterId is not null && clerk is null)
        {
            // The library is the merchant's: only a clerk of that merchant, signed in, picks from it.
            throw TouchpointException.Forbidden("从海报库选择需要店员账号登录；扫码投放请上传图片");
        }
        // A signed-in clerk is the account; a code's clerk says who they are.
        var clerkName = clerk?.Name ?? StoreClerks.Name(form.ClerkName);
        var phone = clerk?.Phone ?? StoreClerks.Phone(form.ClerkPhone);
        var window = PosterPlacements.Window(form.Start, form.End);
        var facts = new PosterPlacements.DeviceFacts(device.Id, device.Sn, device.OwnerId, false, device.TimeZone);
        Poster? picked = null;
        if (form.PosterId is { } posterId && clerk is not null)
        {
            picked = await db.Posters.AsNoTracking().SingleOrDefaultAsync(p => p.Id == posterId && p.OwnerId == clerk.MerchantId && p.Kind == PosterKind.Merchant, ct)
                    ?? throw TouchpointException.NotFound("海报不存在或不在本商家的海报库中");
        }
        else if (image is null)
        {
            throw TouchpointException.Invalid("请上传海报图片");
        }
        // Full slots are said before the image is stored (nothing is left behind in the library); checked again below under the lock.
        var unsaved = picked ?? new Poster { Name = form.Name ?? "", ImageSha256 = "", ContentType = "", ThumbnailSha256 = "", Kind = PosterKind.Merchant };
        if ((await PosterPlacements.EvaluateAsync(db, unsaved, [facts], window, PosterPath.Clerk, ct, clock.GetUtcNow().UtcDateTime)).Refusal is { } early)
        {
            throw TouchpointException.Conflict(early);
        }
        var poster = picked ?? await library.StoreAsync(device.OwnerId!.Value, null, PosterKind.Merchant, form.Name, image!, ct);
        // The troubleshooting tool tells a known 店员账号 from someone who scanned the code.
        var placedBy = clerk is null ? $"店员 {clerkName}" : $"店员 {clerkName}（店员账号）";
        DevicePoster placement;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // A code is spent here: only the first placement at its revision moves the revision on. An account is not
            // spent, but the bump still comes first, so the slot check below runs under the device's lock; and it
            // holds only while the device is out of admin mode, which the owner may have just turned on.
            var spent = clerk is null
                ? await db.Devices.Where(d => d.Id == device.Id && d.PosterRevision == revision && !d.PosterAdminMode)
                    .ExecuteUpdateAsync(u => u.SetProperty(d => d.PosterRevision, d => d.PosterRevision + 1), ct)
                : await db.Devices.Where(d => d.Id == device.Id && d.OwnerId == clerk.MerchantId && !d.PosterAdminMode)
                    .ExecuteUpdateAsync(u => u.SetProperty(d => d.PosterRevision, d => d.PosterRevision + 1), ct);
            if (spent == 0)
            {
                throw TouchpointException.Forbidden(clerk is null ? Expired : AdminMode.Refusal(true, PosterPath.Clerk)!);
            }
            var check = await PosterPlacements.EvaluateAsync(db, poster, [facts], window, PosterPath.Clerk, ct, clock.GetUtcNow().UtcDateTime);
            if (check.Refusal is { } full)
            {
                throw TouchpointException.Conflict(full);
            }
            var now = clock.GetUtcNow().UtcDateTime;
            placement = new DevicePoster
            {
                DeviceId = device.Id, PosterId = poster.Id, Kind = PosterKind.Merchant, WindowStart = window.Start, WindowEnd = window.End,
                Order = PosterPlacements.DefaultOrder, Path = PosterPath.Clerk, PlacedByName = placedBy, ClerkPhone = phone, ClerkId = clerk?.Id,
                PlacedAtUtc = now,
            };
            db.DevicePosters.Add(placement);
            await db.SaveChangesAsync(ct);
            db.PosterSlotEvents.Add(new PosterSlotEvent
            {
                DeviceId = device.Id, PosterId = poster.Id, PlacementId = placement.Id, Change = PosterSlotChange.Placed, Path = PosterPath.Clerk,
                ActorName = placedBy, AtUtc = now, Detail = PosterPlacements.Describe(poster.Name, window, placement.Order),
            });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        await delivery.PublishAsync([device.Id], ct);
        return (await PosterPlacements.LiveAsync(db, device.Id, device.Sn, ct)).Single(p => p.Id == placement.Id);
    }

    private async Task<(Device Device, int Revision, SignedInClerk? Clerk)> DeviceAsync(TouchpointDb db, string sn, ClerkPass pass, CancellationToken ct)
    {
        var normalized = DeviceSn.Normalize(sn ?? "");
        if (!string.IsNullOrEmpty(pass.Session))
        {
            var clerk = await clerks.ResolveAsync(db, pass.Session, ct) ?? throw TouchpointException.Forbidden(SignedOut);
            var owned = await db.Devices.AsNoTracking().SingleOrDefaultAsync(d => d.Sn == normalized && d.OwnerId == clerk.MerchantId, ct);
            if (owned is not null)
            {
                return (owned, owned.PosterRevision, clerk);
            }
            // Another shop's device: the account does not reach it, but the code on its screen still does (one person
            // may work in two shops and be a clerk account of only one).
            if (string.IsNullOrEmpty(pass.Code))
            {
                throw TouchpointException.NotFound($"设备 {normalized} 不是您所在商家的设备");
            }
        }
        if (tokens.ReadClerk(pass.Code) is not { } grant)
        {
            throw TouchpointException.NotFound(Expired);
        }
        var device = await db.Devices.AsNoTracking().SingleOrDefaultAsync(d => d.Id == grant.DeviceId, ct);
        if (device is null || device.Sn != normalized || device.OwnerId is null)
        {
            throw TouchpointException.NotFound(Expired);
        }
        return (device, grant.Revision, null);
    }
}
