using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Accounts;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Accounts;
using Touchpoint.Server.Infrastructure;
using Touchpoint.Server.MemberInfo;

namespace Touchpoint.Server.Demo;

/// <summary>
/// Demo only, off by default (<c>Demo:AutoApproveAfterSeconds</c>): approves member-field applications that waited
/// that long, as the first operator account, so a newcomer sees the whole flow, notification included, alone.
/// </summary>
public sealed class DemoAutoReview(IDbContextFactory<TouchpointDb> factory, FieldApplicationService applications,
    IOptions<DemoOptions> options, TimeProvider clock, ILogger<DemoAutoReview> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var after = options.Value.AutoApproveAfterSeconds;
        if (after <= 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(after / 2.0, 0.5, 5)), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await ApproveDueAsync(after, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Demo auto-review round failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ApproveDueAsync(double afterSeconds, CancellationToken ct)
    {
        var due = clock.GetUtcNow().UtcDateTime.AddSeconds(-afterSeconds);
        List<long> ids;
        Actor? reviewer;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            ids = await db.FieldApplications.Where(f => f.Status == FieldApplicationStatus.Audit && f.SubmittedAtUtc <= due)
                .OrderBy(f => f.Id).Select(f => f.Id).Take(50).ToListAsync(ct);
            reviewer = await db.Accounts.Where(a => a.Role == AccountRole.Operator && !a.Disabled).OrderBy(a => a.Id)
                .Select(a => new Actor(a.Id, a.Role, a.DisplayName)).FirstOrDefaultAsync(ct);
        }
        if (reviewer is null)
        {
            return;
        }
        foreach (var id in ids)
        {
            try
            {
                await applications.ApproveAsync(reviewer, id, ct);
                logger.LogInformation("Demo auto-review approved application {Id}", id);
            }
            catch (Core.Common.TouchpointException)
            {
                // Reviewed by a person (or invalidated) in the meantime.
            }
        }
    }
}
