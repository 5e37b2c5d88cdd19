namespace Touchpoint.Server.Notifications;

/// <summary>Delivery settings, bound from the "Notifications" section.</summary>
public sealed class NotificationOptions
{
    /// <summary>How often a node looks for due deliveries when nothing woke it.</summary>
    public double PollSeconds { get; set; } = 5;
    /// <summary>Multiplies the retry delays (4m … 15h); tests shrink it.</summary>
    public double RetryDelayScale { get; set; } = 1.0;
    public double TimeoutSeconds { get; set; } = 10;
    /// <summary>Deliveries claimed per round.</summary>
    public int BatchSize { get; set; } = 20;
    /// <summary>Off switch, e.g. for a node that should only serve the console.</summary>
    public bool Enabled { get; set; } = true;
}
