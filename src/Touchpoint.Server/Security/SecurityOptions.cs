namespace Touchpoint.Server.Security;

/// <summary>Bound from "Security". Defaults are what a production deployment wants; demo mode loosens only outbound.</summary>
public sealed class SecurityOptions
{
    /// <summary>
    /// A PFX that encrypts the Data Protection key ring stored in the database, so that a copy of the database alone
    /// opens none of the sealed secrets. Every node needs the same certificate. Unset: the ring is stored unencrypted.
    /// </summary>
    public string? KeyRingCertificatePath { get; set; }
    public string? KeyRingCertificatePassword { get; set; }

    public LoginThrottleOptions Login { get; set; } = new();

    /// <summary>The counterpart picker (发起授权): lookups per account and window.</summary>
    public int AccountSearchPermits { get; set; } = 10;
    public TimeSpan AccountSearchWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Hosts, addresses or CIDR ranges that 应用网关 and the preview back end may reach although they are loopback,
    /// private or link-local (e.g. "127.0.0.1", "10.0.0.0/8", "backend.internal"). Demo mode adds loopback.
    /// </summary>
    public List<string> OutboundAllowList { get; set; } = [];

    /// <summary>Behind a reverse proxy: honour X-Forwarded-For/-Proto from these proxies (addresses or CIDR ranges).</summary>
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();
}

public sealed class LoginThrottleOptions
{
    /// <summary>Wrong passwords from one address for one login before delays start.</summary>
    public int FreeFailures { get; set; } = 5;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>The delay doubles with each further failure up to this.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class ForwardedHeadersSettings
{
    public bool Enabled { get; set; }
    public List<string> KnownProxies { get; set; } = [];
}
