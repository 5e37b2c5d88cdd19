using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Common;
using Touchpoint.Core.Devices;
using Touchpoint.Core.Posters;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Posters;

/// <summary>What the clerk's phone page shows for a device.</summary>
public sealed record ClerkView(string Sn, string Merchant, bool AdminMode, string? Refusal, IReadOnlyList<PlacementView> Placements);

/// <summary>A clerk's poster: the image, its name, and who the clerk is (kept for the troubleshooting tool, shown masked).</summary>
public sealed record ClerkPlacement(string? Name, string? ClerkName, string? ClerkPhone, DateTime? Start, DateTime? End);

/// <summary>
/// 店员投放 (R18): while a device is not in admin mode its screen shows a QR code; the page it opens lets a clerk of the
/// store put a poster on that device. The code is the only credential, good for one placement: the placement moves the
/// device's schedule revision on, and the device then shows a new code.
/// </summary>
public sealed partial class ClerkPosters(IDbContextFactory<TouchpointDb> factory, PosterTokens tokens, PosterLibrary library,
    PosterDelivery delivery, TimeProvider clock)
{
    private const string Expired = "二维码已失效，请在设备屏幕上重新扫码";

    public async Task<ClerkView> OpenAsync(string sn, string? code, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var (device, revision) = await DeviceAsync(db, sn, code, ct);
        if (!device.PosterAdminMode && revision != device.PosterRevision)
        {
            throw TouchpointException.NotFound(Expired); // a newer code is on the screen
        }
        var merchant = await db.Accounts.AsNoTracking().Where(a => a.Id == device.OwnerId).Select(a => a.DisplayName).SingleOrDefaultAsync(ct) ?? "";
        var placements = (await PosterPlacements.LiveAsync(db, device.Id, device.Sn, ct)).Where(p => p.Kind == "商家海报").ToList();
        return new ClerkView(device.Sn, merchant, device.PosterAdminMode, AdminMode.Refusal(device.PosterAdminMode, PosterPath.Clerk), placements);
    }

    public async Task<PlacementView> PlaceAsync(string sn, string? code, ClerkPlacement form, Stream image, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var (device, revision) = await DeviceAsync(db, sn, code, ct);
        if (AdminMode.Refusal(device.PosterAdminMode, PosterPath.Clerk) is { } refusal)
        {
            throw TouchpointException.Forbidden(refusal);
        }
        if (revision != device.PosterRevision)
        {
            throw TouchpointException.Forbidden(Expired);
        }
        var clerkName = form.ClerkName?.Trim() ?? "";
        if (clerkName.Length is 0 or > 20)
        {
            throw TouchpointException.Invalid("请填写店员姓名（不超过 20 个字）");
        }
        var phone = form.ClerkPhone?.Trim() ?? "";
        if (!Mobile().IsMatch(phone))
        {
            throw TouchpointException.Invalid("请填写 11 位手机号，便于商家联系投放人");
        }
        var window = PosterPlacements.Window(form.Start, form.End);
        var facts = new PosterPlacements.DeviceFacts(device.Id, device.Sn, device.OwnerId, false, device.TimeZone);
        // Full slots are said before the image is stored (nothing is left behind in the library); checked again below under the lock.
        var unsaved = new Poster { Name = form.Name ?? "", ImageSha256 = "", ContentType = "", ThumbnailSha256 = "", Kind = PosterKind.Merchant };
        if ((await PosterPlacements.EvaluateAsync(db, unsaved, [facts], window, PosterPath.Clerk, ct, clock.GetUtcNow().UtcDateTime)).Refusal is { } early)
        {
            throw TouchpointException.Conflict(early);
        }
        var poster = await library.StoreAsync(device.OwnerId!.Value, null, PosterKind.Merchant, form.Name, image, ct);
        var placedBy = $"店员 {clerkName}";
        DevicePoster placement;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // The code is spent here: only the first placement at its revision moves the revision on.
            var spent = await db.Devices.Where(d => d.Id == device.Id && d.PosterRevision == revision && !d.PosterAdminMode)
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.PosterRevision, d => d.PosterRevision + 1), ct);
            if (spent == 0)
            {
                throw TouchpointException.Forbidden(Expired);
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
                Order = PosterPlacements.DefaultOrder, Path = PosterPath.Clerk, PlacedByName = placedBy, ClerkPhone = phone, PlacedAtUtc = now,
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

    private async Task<(Device Device, int Revision)> DeviceAsync(TouchpointDb db, string sn, string? code, CancellationToken ct)
    {
        var normalized = DeviceSn.Normalize(sn ?? "");
        if (tokens.ReadClerk(code) is not { } grant)
        {
            throw TouchpointException.NotFound(Expired);
        }
        var device = await db.Devices.AsNoTracking().SingleOrDefaultAsync(d => d.Id == grant.DeviceId, ct);
        if (device is null || device.Sn != normalized || device.OwnerId is null)
        {
            throw TouchpointException.NotFound(Expired);
        }
        return (device, grant.Revision);
    }

    [GeneratedRegex("^1[3-9][0-9]{9}$")]
    private static partial Regex Mobile();
}
