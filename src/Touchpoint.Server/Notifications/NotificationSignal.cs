namespace Touchpoint.Server.Notifications;

/// <summary>Wakes this node's worker when it staged a delivery, so notifications leave at once instead of at the next poll.</summary>
public sealed class NotificationSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Poke()
    {
        if (_semaphore.CurrentCount > 0)
        {
            return; // already poked (the common case under load, and a thrown exception costs more than the payment's SQL)
        }
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
