using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Common;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Core.Grants;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Devices;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.DeviceChannel;

public sealed record CommandRow(long Id, CommandKind Kind, CommandStatus Status, DateTime CreatedAtUtc, DateTime ExpiresAtUtc,
    DateTime? SentAtUtc, DateTime? AcknowledgedAtUtc, DateTime? CompletedAtUtc, string? Result);

/// <summary>
/// Remote commands: stored first, then delivered — at once when the device is online, when it next connects
/// otherwise, again if it did not acknowledge — until they end or expire (DeviceChannel:CommandTtlMinutes).
/// </summary>
public sealed class DeviceCommandService(IDbContextFactory<TouchpointDb> factory, DeviceAccess access, IDeviceDownlink downlink,
    IOptions<DeviceChannelOptions> options, TimeProvider clock, ILogger<DeviceCommandService> logger)
{
    /// <summary>Raised with the SN whenever one of its commands changed state (here or on another node), for live pages.</summary>
    public event Action<string>? Changed;

    /// <summary>Raised when a command changed on this node only: what the other nodes are told.</summary>
    public event Action<string>? ChangedHere;

    /// <summary>Another node changed one of this device's commands.</summary>
    public void ChangedElsewhere(string sn) => Changed?.Invoke(sn);

    private void RaiseChanged(string sn)
    {
        ChangedHere?.Invoke(sn);
        Changed?.Invoke(sn);
    }

    /// <summary>重启 / 恢复出厂设置 from the console: the owner, or a grantee with 远程管理.</summary>
    public async Task<CommandRow> RequestAsync(Actor actor, string sn, CommandKind kind, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.RemoteManagement, ct);
        var open = await db.DeviceCommands.AnyAsync(c => c.DeviceId == device.Id && c.Kind == kind
            && (c.Status == CommandStatus.Pending || c.Status == CommandStatus.Sent || c.Status == CommandStatus.Acknowledged), ct);
        if (open)
        {
            throw TouchpointException.Conflict($"设备 {device.Sn} 已有未完成的{kind.Chinese()}指令");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var command = new DeviceCommand
        {
            DeviceId = device.Id, Kind = kind, Status = CommandStatus.Pending, RequestedById = actor.Id, CreatedAtUtc = now,
            ExpiresAtUtc = now.AddMinutes(options.Value.CommandTtlMinutes),
        };
        db.DeviceCommands.Add(command);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Asked twice at the same moment: the check above passed for both, the one-open-per-kind index kept one.
            throw TouchpointException.Conflict($"设备 {device.Sn} 已有未完成的{kind.Chinese()}指令");
        }
        if (device.IsOnline)
        {
            await SendPendingAsync(device.Sn, ct);
        }
        return Row(command);
    }

    /// <summary>
    /// A command for a fleet task (the task checked the permission): queued like one from the console, or the open command
    /// of that kind the device already has — one restart satisfies both.
    /// </summary>
    public async Task<long> EnqueueAsync(long deviceId, string sn, CommandKind kind, long requestedById, bool online, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var command = new DeviceCommand
        {
            DeviceId = deviceId, Kind = kind, Status = CommandStatus.Pending, RequestedById = requestedById, CreatedAtUtc = now,
            ExpiresAtUtc = now.AddMinutes(options.Value.CommandTtlMinutes),
        };
        db.DeviceCommands.Add(command);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            await using var again = await factory.CreateDbContextAsync(ct);
            return await again.DeviceCommands.Where(c => c.DeviceId == deviceId && c.Kind == kind
                && (c.Status == CommandStatus.Pending || c.Status == CommandStatus.Sent || c.Status == CommandStatus.Acknowledged))
                .Select(c => c.Id).FirstAsync(ct);
        }
        if (online)
        {
            await SendPendingAsync(sn, ct);
        }
        return command.Id;
    }

    public async Task<IReadOnlyList<CommandRow>> ListAsync(Actor actor, string sn, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var device = await access.RequireAsync(db, actor, sn, DeviceOperation.View, ct);
        var rows = await db.DeviceCommands.AsNoTracking().Where(c => c.DeviceId == device.Id).OrderByDescending(c => c.Id).Take(50).ToListAsync(ct);
        return rows.Select(Row).ToList();
    }

    /// <summary>
    /// Publishes every live command of a device that is not yet acknowledged; expires the ones past due. Each command's
    /// new state is saved <em>before</em> it is published, and only if it is still what was read: a fast acknowledgement
    /// can never be overwritten with "sent", and two senders at once (a connect and the sweep) publish it once.
    /// </summary>
    public async Task SendPendingAsync(string sn, CancellationToken ct)
    {
        if (!downlink.IsReady)
        {
            return; // the sweep sends it once the broker is there
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var commands = await (from c in db.DeviceCommands.AsNoTracking()
                              join d in db.Devices on c.DeviceId equals d.Id
                              where d.Sn == sn && (c.Status == CommandStatus.Pending || c.Status == CommandStatus.Sent)
                              orderby c.Id
                              select c).ToListAsync(ct);
        var changed = false;
        foreach (var command in commands)
        {
            var unchanged = db.DeviceCommands.Where(c => c.Id == command.Id && c.Status == command.Status && c.SendCount == command.SendCount);
            if (command.ExpiresAtUtc <= now)
            {
                changed |= await unchanged.ExecuteUpdateAsync(u => u
                    .SetProperty(c => c.Status, CommandStatus.Expired).SetProperty(c => c.CompletedAtUtc, now), ct) == 1;
                continue;
            }
            var claimed = await unchanged.ExecuteUpdateAsync(u => u
                .SetProperty(c => c.Status, CommandStatus.Sent).SetProperty(c => c.SentAtUtc, now)
                .SetProperty(c => c.SendCount, c => c.SendCount + 1), ct);
            if (claimed == 0)
            {
                continue; // acknowledged, ended or sent by someone else meanwhile
            }
            changed = true;
            var payload = JsonSerializer.SerializeToUtf8Bytes(new CommandMessage(1, command.Id, command.Kind.Wire(), command.ExpiresAtUtc));
            // If this publish fails the row says "sent" without the device having it: the sweep sends it again after
            // CommandResendSeconds, as for any send the device did not acknowledge.
            await downlink.PublishAsync(DeviceTopics.Down(sn, "cmd"), payload, ct);
        }
        if (changed)
        {
            RaiseChanged(sn);
        }
    }

    /// <summary>An uplink ack or result; ignored unless the command is the device's own and has not ended.</summary>
    public async Task AnswerAsync(string sn, CommandAnswer answer, bool isResult, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var deviceId = await db.Devices.Where(d => d.Sn == sn).Select(d => (long?)d.Id).SingleOrDefaultAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var live = db.DeviceCommands.Where(c => c.Id == answer.Id && c.DeviceId == deviceId
            && (c.Status == CommandStatus.Pending || c.Status == CommandStatus.Sent || c.Status == CommandStatus.Acknowledged));
        int updated;
        if (isResult)
        {
            var status = answer.Ok == true ? CommandStatus.Succeeded : CommandStatus.Failed;
            var result = Core.Common.OptionalText.Clip(answer.Message, 500);
            updated = await live.ExecuteUpdateAsync(u => u
                .SetProperty(c => c.Status, status).SetProperty(c => c.CompletedAtUtc, now).SetProperty(c => c.Result, result)
                .SetProperty(c => c.AcknowledgedAtUtc, c => c.AcknowledgedAtUtc ?? now), ct);
        }
        else
        {
            updated = await live.ExecuteUpdateAsync(u => u
                .SetProperty(c => c.Status, CommandStatus.Acknowledged)
                .SetProperty(c => c.AcknowledgedAtUtc, c => c.AcknowledgedAtUtc ?? now), ct);
        }
        if (updated == 0)
        {
            logger.LogWarning("Device {Sn} answered command {Id} it does not have (or that has ended)", sn, answer.Id);
            return;
        }
        RaiseChanged(sn);
    }

    /// <summary>The sweep: re-sends what was sent but never acknowledged, to online devices, and expires the rest.</summary>
    public async Task SweepAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.DeviceCommands.Where(c => (c.Status == CommandStatus.Pending || c.Status == CommandStatus.Sent || c.Status == CommandStatus.Acknowledged)
                && c.ExpiresAtUtc <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CommandStatus.Expired).SetProperty(c => c.CompletedAtUtc, now), ct);
        var resendBefore = now.AddSeconds(-options.Value.CommandResendSeconds);
        var due = await (from c in db.DeviceCommands
                         join d in db.Devices on c.DeviceId equals d.Id
                         where d.IsOnline && (c.Status == CommandStatus.Pending || (c.Status == CommandStatus.Sent && c.SentAtUtc < resendBefore))
                         select d.Sn).Distinct().OrderBy(sn => sn).Take(500).ToListAsync(ct);
        foreach (var sn in due)
        {
            await SendPendingAsync(sn, ct);
        }
    }

    private static CommandRow Row(DeviceCommand c) =>
        new(c.Id, c.Kind, c.Status, c.CreatedAtUtc, c.ExpiresAtUtc, c.SentAtUtc, c.AcknowledgedAtUtc, c.CompletedAtUtc, c.Result);
}

/// <summary>Runs the command sweep every few seconds.</summary>
public sealed class DeviceCommandSweeper(DeviceCommandService commands, ILogger<DeviceCommandSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await commands.SweepAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Device command sweep failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
