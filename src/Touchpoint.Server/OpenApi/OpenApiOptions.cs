namespace Touchpoint.Server.OpenApi;

/// <summary>Gateway settings, bound from the "OpenApi" section.</summary>
public sealed class OpenApiOptions
{
    /// <summary>How far a request's timestamp may be from the server's clock, either way.</summary>
    public int TimestampToleranceMinutes { get; set; } = 15;
    /// <summary>
    /// How long a node answers from its snapshot of an app (keys, basic information) after another node changed it;
    /// the node that made the change forgets its snapshot at once.
    /// </summary>
    public int AppCacheSeconds { get; set; } = 10;
    /// <summary>The largest request body: six media files of 10 MB and the form around them.</summary>
    public long MaxRequestBytes { get; set; } = 64L * 1024 * 1024;
    /// <summary>The gateway URL shown to developers; empty means "this server's own address".</summary>
    public string? PublicGatewayUrl { get; set; }
}
