namespace Touchpoint.Server.Distribution;

/// <summary>Wakes this node's distribution worker when a task starts or changes, instead of waiting for the next tick.</summary>
public sealed class DistributionSignal
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
            // Already poked.
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _semaphore.WaitAsync(timeout, ct);
}
