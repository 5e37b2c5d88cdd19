using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Broadcasts;

public sealed class BroadcastOptions
{
    public const string Section = "Broadcasts";

    /// <summary>
    /// How long what a terminal reported saying is kept (设备详情 > 屏幕, broadcast.query). Alipay answers
    /// broadcast.query for a week; the console's history is kept longer by default.
    /// </summary>
    public int VoicePlayRetentionDays { get; set; } = 90;
}

/// <summary>Forgets voice plays older than <see cref="BroadcastOptions.VoicePlayRetentionDays"/>: a fleet reports every payment it announces.</summary>
public sealed class VoicePlaySweeper(IDbContextFactory<TouchpointDb> factory, IOptions<BroadcastOptions> options, TimeProvider clock,
    ILogger<VoicePlaySweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        try
        {
            do
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Voice play sweep failed; trying again in {Minutes} minutes", Every.TotalMinutes);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var before = clock.GetUtcNow().UtcDateTime.AddDays(-Math.Max(1, options.Value.VoicePlayRetentionDays));
        await using var db = await factory.CreateDbContextAsync(ct);
        var swept = await db.VoicePlays.Where(p => p.ReportedAtUtc < before).ExecuteDeleteAsync(ct);
        if (swept > 0)
        {
            logger.LogInformation("Swept {Count} voice plays reported before {Before:u}", swept, before);
        }
        return swept;
    }
}
