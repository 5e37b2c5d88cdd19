namespace Touchpoint.Server.Notifications;

/// <summary>Wakes this node's worker when it staged a delivery, so notifications leave at once instead of at the next poll.</summary>
public sealed class NotificationSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Poke()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already poked; one wake-up covers every delivery staged before it.
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _semaphore.WaitAsync(timeout, ct);
}
