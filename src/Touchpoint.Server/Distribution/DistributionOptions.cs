namespace Touchpoint.Server.Distribution;

/// <summary>App distribution, bound from "Distribution".</summary>
public sealed class DistributionOptions
{
    /// <summary>
    /// Where artifacts are kept, content-addressed by SHA-256. One node: a folder under data/. Several nodes: the same
    /// shared folder (NFS, SMB, a mounted volume) on each — files are written once under their hash and never changed,
    /// so a shared file system needs no locking and serves range requests through the kernel's sendfile.
    /// </summary>
    public string ArtifactPath { get; set; } = "data/artifacts";
    /// <summary>Largest accepted upload (a system image can be big; the upload streams, it never sits in memory).</summary>
    public long MaxArtifactBytes { get; set; } = 2L * 1024 * 1024 * 1024;
    /// <summary>Smallest accepted APK: anything below is not an app.</summary>
    public long MinApkBytes { get; set; } = 256;
    /// <summary>
    /// The address devices download from (e.g. https://tp.example.com). Empty: the address this node listens on, which
    /// suits one node and the demo; behind a proxy or a load balancer set it.
    /// </summary>
    public string? DownloadBaseUrl { get; set; }
    /// <summary>How long a signed download address stays valid.</summary>
    public double DownloadUrlMinutes { get; set; } = 120;
    /// <summary>How often the worker moves tasks along.</summary>
    public double TickSeconds { get; set; } = 1;
    /// <summary>Most devices dispatched per task per tick.</summary>
    public int DispatchBatch { get; set; } = 500;
    /// <summary>A job sent but not taken up (no progress report) is sent again after this long while the device is online.</summary>
    public double ResendSeconds { get; set; } = 30;
    /// <summary>Largest device set one task may carry.</summary>
    public int MaxDevicesPerTask { get; set; } = 200_000;
}
