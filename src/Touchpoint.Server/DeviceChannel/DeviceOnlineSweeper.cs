using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.DeviceChannel;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.DeviceChannel;

/// <summary>
/// Behind an external broker: records a device offline ("timeout") when it has not been heard from for
/// <see cref="DeviceChannelOptions.HeartbeatTimeoutSeconds"/>. The broker's last will normally says so first; this
/// catches a will that reached no node. Safe on several nodes: each device is switched by a conditional update, and
/// only the node whose update took it writes the history row.
/// </summary>
public sealed class DeviceOnlineSweeper(IDbContextFactory<TouchpointDb> factory, IOptions<DeviceChannelOptions> options,
    TimeProvider clock, ILogger<DeviceOnlineSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.HeartbeatTimeoutSeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(timeout.TotalSeconds / 5, 0.2, 10)), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(timeout, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Device online sweep failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task<int> SweepAsync(TimeSpan timeout, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now - timeout;
        var silent = await db.Devices.Where(d => d.IsOnline && (d.LastOnlineAtUtc == null || d.LastOnlineAtUtc < cutoff))
            .Select(d => d.Id).Take(1000).ToListAsync(ct);
        var switched = 0;
        foreach (var id in silent)
        {
            var taken = await db.Devices.Where(d => d.Id == id && d.IsOnline && (d.LastOnlineAtUtc == null || d.LastOnlineAtUtc < cutoff))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.IsOnline, false), ct);
            if (taken == 1)
            {
                db.DeviceConnectionEvents.Add(new DeviceConnectionEvent { DeviceId = id, AtUtc = now, Online = false, Reason = ConnectionReason.Timeout });
                switched++;
            }
        }
        await db.SaveChangesAsync(ct);
        return switched;
    }
}
