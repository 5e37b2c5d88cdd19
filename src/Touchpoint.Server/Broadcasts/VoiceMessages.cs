using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.Broadcasts;
using Touchpoint.Core.Common;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Grants;
using Touchpoint.Core.Payments;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.DeviceChannel;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Broadcasts;

/// <summary>A voice message with the devices it is set on.</summary>
/// <summary>A voice message with the devices it is set on; <see cref="Mine"/> false for another account's message on the caller's devices.</summary>
public sealed record VoiceAudioView(long Id, string Text, DateTime CreatedAtUtc, IReadOnlyList<DeviceVoiceView> Devices, bool Mine = true);

public sealed record DeviceVoiceView(string Sn, VoicePlayType PlayType, DateTime? Start, DateTime? End, int? IntervalSeconds);

/// <summary>Where and when a voice message plays (audio.send): the devices, TRADE or CUSTOM, and a custom one's schedule.</summary>
public sealed record VoiceSend(long AudioId, IReadOnlyList<string>? Sns, VoicePlayType PlayType, DateTime? Start, DateTime? End, int? IntervalSeconds);

/// <summary>What a device said, as the console lists it.</summary>
public sealed record VoicePlayView(string Kind, string KindName, string Text, string? TradeRef, DateTime PlayedAtUtc);

/// <summary>
/// 播报运营 beyond the announcement: custom voice messages — a text the terminal speaks with its own speech engine (no
/// server-side synthesis: the terminal's voice matches its announcements, and nothing is downloaded) — played after
/// each payment or on a schedule, per device; an announcement for a payment taken elsewhere (tradevoice.send); and what
/// each device reports it said. Setting messages on a device is 播报运营 (the owner, or a grantee holding it).
/// </summary>
public sealed class VoiceMessages(IDbContextFactory<TouchpointDb> factory, DeviceAccess access, IDeviceDownlink downlink, TimeProvider clock,
    ILogger<VoiceMessages> logger) : Grants.IGrantChanged
{
    /// <summary>
    /// A revoked grantee's messages leave the devices' lists at once; a renewed one's carry the new end. Only terminals
    /// holding a message someone other than their owner set can change, so a grant of a thousand silent devices sends nothing.
    /// </summary>
    public async Task GrantChangedAsync(IReadOnlyCollection<long> deviceIds, CancellationToken ct)
    {
        var ids = deviceIds.ToList();
        await using var db = await factory.CreateDbContextAsync(ct);
        var affected = await (from v in db.DeviceVoices.AsNoTracking()
                              join d in db.Devices.AsNoTracking() on v.DeviceId equals d.Id
                              where EF.Parameter(ids).Contains(v.DeviceId) && v.RemovedAtUtc == null && v.SentById != d.OwnerId
                              select v.DeviceId).Distinct().ToListAsync(ct);
        await PublishAsync(affected, ct);
    }

    public const int MaxDevices = 10_000;
    /// <summary>Messages one terminal keeps at once: a payment's report (announcement and TRADE messages) stays one message.</summary>
    public const int MaxPerDevice = 20;

    public async Task<VoiceAudioView> CreateAsync(Actor actor, string? text, CancellationToken ct)
    {
        if (actor.Role == AccountRole.Manufacturer)
        {
            throw TouchpointException.Forbidden("厂商账号不能创建播报内容");
        }
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw TouchpointException.Invalid("请填写播报文字");
        }
        if (trimmed.Length > VoiceAudio.TextMaxLength)
        {
            throw TouchpointException.Invalid($"播报文字不能超过 {VoiceAudio.TextMaxLength} 个字");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var audio = new VoiceAudio { OwnerId = actor.Id, OnBehalfOfId = actor.OnBehalfOfId, Text = trimmed, CreatedAtUtc = clock.GetUtcNow().UtcDateTime };
        db.VoiceAudios.Add(audio);
        await db.SaveChangesAsync(ct);
        return new VoiceAudioView(audio.Id, audio.Text, audio.CreatedAtUtc, []);
    }

    /// <summary>
    /// The caller's messages (on behalf: those made for the merchant whose token it holds; a merchant also sees those made
    /// for it), and — for an owner — every other message set on its devices, which it may take off them.
    /// </summary>
    public async Task<IReadOnlyList<VoiceAudioView>> ListAsync(Actor actor, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var id = actor.Id;
        var onMine = actor.OnBehalfOfId is null
            ? db.DeviceVoices.Where(v => v.RemovedAtUtc == null && db.Devices.Any(d => d.Id == v.DeviceId && d.OwnerId == id)).Select(v => v.AudioId)
            : db.DeviceVoices.Where(v => false).Select(v => v.AudioId);
        var audios = await db.VoiceAudios.AsNoTracking().Where(a => a.DeletedAtUtc == null && (Visible(db, actor).Any(m => m.Id == a.Id) || onMine.Contains(a.Id)))
            .OrderByDescending(a => a.Id).Take(200).ToListAsync(ct);
        var ids = audios.Select(a => a.Id).ToList();
        var placed = (await (from v in db.DeviceVoices.AsNoTracking()
                             join d in db.Devices.AsNoTracking() on v.DeviceId equals d.Id
                             where EF.Parameter(ids).Contains(v.AudioId) && v.RemovedAtUtc == null
                             select new { v, d.Sn, d.OwnerId }).ToListAsync(ct)).ToLookup(x => x.v.AudioId);
        var mine = await Visible(db, actor).Where(a => EF.Parameter(ids).Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);
        return audios.Select(a =>
        {
            var own = mine.Contains(a.Id);
            // Another account's message shows only on the caller's own devices.
            var devices = placed[a.Id].Where(x => own || x.OwnerId == id).OrderBy(x => x.Sn, StringComparer.Ordinal)
                .Select(x => new DeviceVoiceView(x.Sn, x.v.PlayType, x.v.StartLocal, x.v.EndLocal, x.v.IntervalSeconds)).ToList();
            return new VoiceAudioView(a.Id, a.Text, a.CreatedAtUtc, devices, own);
        }).ToList();
    }

    private static IQueryable<VoiceAudio> Visible(TouchpointDb db, Actor actor)
    {
        var (id, merchant) = (actor.Id, actor.OnBehalfOfId);
        return db.VoiceAudios.Where(a => a.DeletedAtUtc == null && ((a.OwnerId == id && a.OnBehalfOfId == merchant) || (merchant == null && a.OnBehalfOfId == id)));
    }

    /// <summary>Sets the message on the devices (replacing its earlier setting there); refused whole when any device lacks 播报运营.</summary>
    public async Task<int> SendAsync(Actor actor, VoiceSend request, CancellationToken ct)
    {
        if (!Enum.IsDefined(request.PlayType))
        {
            throw TouchpointException.Invalid("播报方式须是随收款播报（Trade）或定时播报（Custom）");
        }
        VoiceSchedule? schedule = null;
        if (request.PlayType == VoicePlayType.Custom)
        {
            schedule = new VoiceSchedule(request.Start ?? throw TouchpointException.Invalid("定时播报须填写开始时间（设备当地时间）"), request.End,
                TimeSpan.FromSeconds(request.IntervalSeconds ?? throw TouchpointException.Invalid("定时播报须填写播报间隔（秒）")));
            if (schedule.Problem is { } problem)
            {
                throw TouchpointException.Invalid(problem);
            }
        }
        var sns = (request.Sns ?? []).Select(s => Core.Devices.DeviceSn.Normalize(s ?? "")).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (sns.Count == 0)
        {
            throw TouchpointException.Invalid("请选择要播报的设备");
        }
        if (sns.Count > MaxDevices)
        {
            throw TouchpointException.Invalid($"一次最多 {MaxDevices} 台设备");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var audio = await Visible(db, actor).AsNoTracking().SingleOrDefaultAsync(a => a.Id == request.AudioId, ct)
            ?? throw TouchpointException.NotFound("播报内容不存在，请先创建");
        var now = clock.GetUtcNow().UtcDateTime;
        var devices = await DeviceAccess.Permitted(db, actor, GrantPermissions.Broadcast, now).Where(d => EF.Parameter(sns).Contains(d.Sn))
            .Select(d => new { d.Id, d.Sn, d.OwnerId }).ToListAsync(ct);
        var missing = sns.Except(devices.Select(d => d.Sn), StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw TouchpointException.Forbidden($"以下设备不存在或您没有“播报运营”权限：{string.Join("、", missing.Take(20))}{(missing.Count > 20 ? $" 等 {missing.Count} 台" : "")}");
        }
        var ids = devices.Select(d => d.Id).ToList();
        var full = await db.DeviceVoices.Where(v => EF.Parameter(ids).Contains(v.DeviceId) && v.RemovedAtUtc == null && v.AudioId != audio.Id)
            .GroupBy(v => v.DeviceId).Where(g => g.Count() >= MaxPerDevice).Select(g => g.Key).ToListAsync(ct);
        if (full.Count > 0)
        {
            var names = devices.Where(d => full.Contains(d.Id)).Select(d => d.Sn).Take(20);
            throw TouchpointException.Conflict($"每台设备最多设置 {MaxPerDevice} 条语音播报，以下设备已满：{string.Join("、", names)}");
        }
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.DeviceVoices.Where(v => v.AudioId == audio.Id && EF.Parameter(ids).Contains(v.DeviceId) && v.RemovedAtUtc == null)
                .ExecuteUpdateAsync(u => u.SetProperty(v => v.RemovedAtUtc, now), ct);
            db.DeviceVoices.AddRange(devices.Select(d => new DeviceVoice
            {
                DeviceId = d.Id, AudioId = audio.Id, PlayType = request.PlayType, StartLocal = schedule?.StartLocal, EndLocal = schedule?.EndLocal,
                IntervalSeconds = (int?)schedule?.Interval.TotalSeconds, SentById = actor.Id, SentAtUtc = now,
            }));
            foreach (var owner in devices.GroupBy(d => d.OwnerId))
            {
                var first = owner.First();
                Audit.AuditLog.Add(db, clock, actor.Id, Core.Audit.AuditAction.AnnouncementChanged, owner.Key, owner.Count() == 1 ? (first.Id, first.Sn) : null,
                    $"设置语音播报「{audio.Text}」（{(request.PlayType == VoicePlayType.Trade ? "随每笔收款播报" : $"定时播报，每 {schedule!.Interval.TotalMinutes:0.#} 分钟")}）到 {owner.Count()} 台设备");
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        await PublishAsync(ids, ct);
        return devices.Count;
    }

    /// <summary>
    /// Takes a message off one device (audio.send with a closed rule, or 撤下 in the console). Whoever holds 播报运营 on
    /// the device may, whoever set it: the owner keeps control of what its terminals say.
    /// </summary>
    public async Task RemoveAsync(Actor actor, long audioId, string sn, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.Broadcast, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (await db.DeviceVoices.Where(v => v.AudioId == audioId && v.DeviceId == device.Id && v.RemovedAtUtc == null)
                .ExecuteUpdateAsync(u => u.SetProperty(v => v.RemovedAtUtc, now), ct) == 0)
        {
            throw TouchpointException.NotFound($"设备 {device.Sn} 上没有这条播报内容");
        }
        Audit.AuditLog.Add(db, clock, actor.Id, Core.Audit.AuditAction.AnnouncementChanged, device.OwnerId, (device.Id, device.Sn), $"撤下语音播报 {audioId}");
        await db.SaveChangesAsync(ct);
        await PublishAsync([device.Id], ct);
    }

    /// <summary>Deletes the message: every device stops playing it.</summary>
    public async Task DeleteAsync(Actor actor, long audioId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (await Visible(db, actor).Where(a => a.Id == audioId).ExecuteUpdateAsync(u => u.SetProperty(a => a.DeletedAtUtc, now), ct) == 0)
        {
            throw TouchpointException.NotFound("播报内容不存在或已删除");
        }
        var ids = await db.DeviceVoices.Where(v => v.AudioId == audioId && v.RemovedAtUtc == null).Select(v => v.DeviceId).ToListAsync(ct);
        await db.DeviceVoices.Where(v => v.AudioId == audioId && v.RemovedAtUtc == null).ExecuteUpdateAsync(u => u.SetProperty(v => v.RemovedAtUtc, now), ct);
        await PublishAsync(ids, ct);
    }

    /// <summary>
    /// tradevoice.send: the terminal announces a payment taken elsewhere (another channel's cashier). It needs 播报运营
    /// and the terminal online with 到账播报 on; the device's report is what broadcast.query answers.
    /// </summary>
    public async Task AnnounceAsync(Actor actor, string sn, string? amount, string tradeId, string? tradeType, CancellationToken ct)
    {
        var cents = Money.ParseCents(amount) is { } c and > 0 ? c : throw TouchpointException.Invalid("amount 须是大于 0、最多两位小数的金额（元）");
        if (tradeId.Length > 64)
        {
            throw TouchpointException.Invalid("trade_id 不能超过 64 个字符");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.Broadcast, ct);
        if (!device.AnnouncementEnabled)
        {
            throw TouchpointException.Conflict($"设备 {device.Sn} 已关闭到账播报");
        }
        if (!device.IsOnline || !downlink.IsReady)
        {
            throw TouchpointException.Conflict($"设备 {device.Sn} 不在线，无法播报");
        }
        var text = (tradeType ?? "ALIPAY_TRADE").ToUpperInvariant() == "ALIPAY_TRADE" ? $"支付宝到账 {Money.Spoken(cents)} 元" : $"到账 {Money.Spoken(cents)} 元";
        await downlink.PublishAsync(DeviceTopics.Down(device.Sn, "speak"), JsonSerializer.SerializeToUtf8Bytes(new SpeakMessage(1, text, tradeId, device.AnnouncementVolume)), ct);
    }

    /// <summary>broadcast.query: whether the device reported saying the payment, and when.</summary>
    public async Task<DateTime?> BroadcastAtAsync(Actor actor, string sn, string tradeId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.Broadcast, ct);
        return await db.VoicePlays.AsNoTracking().Where(p => p.DeviceId == device.Id && p.TradeRef == tradeId && p.Kind == "announcement")
            .OrderBy(p => p.Id).Select(p => (DateTime?)p.PlayedAtUtc).FirstOrDefaultAsync(ct);
    }

    /// <summary>What the device said lately, newest first, for whoever sees it.</summary>
    public async Task<IReadOnlyList<VoicePlayView>> PlaysAsync(Actor actor, string sn, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.View, ct);
        return (await db.VoicePlays.AsNoTracking().Where(p => p.DeviceId == device.Id).OrderByDescending(p => p.Id).Take(50).ToListAsync(ct))
            .Select(p => new VoicePlayView(p.Kind, p.Kind switch { "announcement" => "到账播报", "trade" => "随收款播报", _ => "定时播报" }, p.Text, p.TradeRef, p.PlayedAtUtc))
            .ToList();
    }

    /// <summary>The devices the caller may set voice messages on (播报运营) in a group, for "per group" sending.</summary>
    public async Task<IReadOnlyList<string>> TargetsAsync(Actor actor, Devices.DeviceFilter filter, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await filter.Apply(DeviceAccess.Permitted(db, actor, GrantPermissions.Broadcast, clock.GetUtcNow().UtcDateTime)).AsNoTracking()
            .OrderBy(d => d.Sn).Take(MaxDevices).Select(d => d.Sn).ToListAsync(ct);
    }

    /// <summary>A device's report of what it said.</summary>
    public async Task ReportedAsync(string sn, VoiceReport report, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var deviceId = await db.Devices.Where(d => d.Sn == sn).Select(d => (long?)d.Id).SingleOrDefaultAsync(ct);
        if (deviceId is null)
        {
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        db.VoicePlays.AddRange(report.Plays.Select(p => new VoicePlay
        {
            DeviceId = deviceId.Value, AudioId = p.AudioId, TradeRef = p.TradeNo, Text = p.Text, Kind = p.Kind,
            // A device clock far off is not trusted for the record: the report's arrival stands in.
            PlayedAtUtc = Math.Abs((p.At.UtcDateTime - now).TotalHours) > 24 ? now : p.At.UtcDateTime, ReportedAtUtc = now,
        }));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Sends each device its whole voice list (on a change, and when the device connects).</summary>
    public async Task PublishAsync(IReadOnlyCollection<long> deviceIds, CancellationToken ct)
    {
        if (deviceIds.Count == 0 || !downlink.IsReady)
        {
            return;
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var ids = deviceIds.Distinct().ToList();
        var devices = await db.Devices.AsNoTracking().Where(d => EF.Parameter(ids).Contains(d.Id)).Select(d => new { d.Id, d.Sn, d.TimeZone }).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var bit = (int)GrantPermissions.Broadcast;
        var set = await (from v in db.DeviceVoices.AsNoTracking()
                         join a in db.VoiceAudios.AsNoTracking() on v.AudioId equals a.Id
                         join d in db.Devices.AsNoTracking() on v.DeviceId equals d.Id
                         where EF.Parameter(ids).Contains(v.DeviceId) && v.RemovedAtUtc == null
                         select new { v, a.Text, d.OwnerId }).ToListAsync(ct);
        // A message a grantee set lasts as long as its grant: only the owner's, or one whose sender still holds 播报运营
        // there, goes out, and the latter with the grant's end, which the device keeps to even offline.
        var grants = (await (from gd in db.GrantDevices.AsNoTracking()
                             join g in db.Grants.AsNoTracking() on gd.GrantId equals g.Id
                             where EF.Parameter(ids).Contains(gd.DeviceId) && ((int)g.Permissions & bit) != 0 && g.RevokedAtUtc == null
                                 && (g.ExpiresAtUtc == null || g.ExpiresAtUtc > now)
                             select new { gd.DeviceId, g.GranteeId, g.OwnerId, g.ExpiresAtUtc }).ToListAsync(ct))
            .ToLookup(g => (g.DeviceId, g.GranteeId, g.OwnerId));
        var items = set.Select(x => (x.v, x.Text, Held: x.v.SentById == x.OwnerId, Grants: grants[(x.v.DeviceId, x.v.SentById, x.OwnerId ?? 0)].ToList()))
            .Where(x => x.Held || x.Grants.Count > 0)
            .Select(x => (x.v, x.Text, Until: x.Held || x.Grants.Any(g => g.ExpiresAtUtc is null) ? (DateTime?)null : x.Grants.Max(g => g.ExpiresAtUtc)))
            .ToLookup(x => x.v.DeviceId);
        foreach (var device in devices)
        {
            var list = new VoiceList(1, device.TimeZone ?? "Asia/Shanghai", items[device.Id].OrderBy(x => x.v.Id).Select(x => new VoiceItem(x.v.AudioId, x.Text,
                x.v.PlayType == VoicePlayType.Trade ? "TRADE" : "CUSTOM_AUDIO", x.v.StartLocal, x.v.EndLocal, x.v.IntervalSeconds,
                x.Until is { } until ? new DateTimeOffset(until.Ticks, TimeSpan.Zero) : null)).ToList());
            try
            {
                await downlink.PublishAsync(DeviceTopics.Down(device.Sn, "voice"), JsonSerializer.SerializeToUtf8Bytes(list), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Voice list for {Sn} not sent; it goes out again when the device connects", device.Sn);
            }
        }
    }

    /// <summary>On connect: the device's voice list, by SN.</summary>
    public async Task ConnectedAsync(string sn, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var id = await db.Devices.Where(d => d.Sn == sn).Select(d => (long?)d.Id).SingleOrDefaultAsync(ct);
        if (id is { } deviceId && await db.DeviceVoices.AnyAsync(v => v.DeviceId == deviceId && v.RemovedAtUtc == null, ct))
        {
            await PublishAsync([deviceId], ct);
        }
    }
}
