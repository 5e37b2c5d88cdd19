using Microsoft.EntityFrameworkCore;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Security;

/// <summary>
/// Forgets what is no longer needed: idle throttle counters, and members' auth codes and tokens a day after they
/// expired (codes live 5 minutes, access tokens 15 days, refresh tokens 30).
/// </summary>
public sealed class SecuritySweeper(IDbContextFactory<TouchpointDb> factory, RequestThrottle throttle, TimeProvider clock,
    ILogger<SecuritySweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

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
                    logger.LogError(e, "Security sweep failed; trying again in {Minutes} minutes", Every.TotalMinutes);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task SweepAsync(CancellationToken ct)
    {
        var before = clock.GetUtcNow().UtcDateTime.AddDays(-1);
        await using var db = await factory.CreateDbContextAsync(ct);
        var codes = await db.MemberAuthCodes.Where(c => c.ExpiresAtUtc < before).ExecuteDeleteAsync(ct);
        var tokens = await db.MemberAccessTokens.Where(t => t.RefreshExpiresAtUtc < before || (t.RevokedAtUtc != null && t.RevokedAtUtc < before))
            .ExecuteDeleteAsync(ct);
        var counters = await throttle.PurgeAsync(TimeSpan.FromDays(1), ct);
        if (codes + tokens + counters > 0)
        {
            logger.LogInformation("Swept {Codes} auth codes, {Tokens} member tokens, {Counters} throttle counters", codes, tokens, counters);
        }
    }
}
