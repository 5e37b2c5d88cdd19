namespace Touchpoint.Core.DeviceChannel;

/// <summary>
/// A device's identity on the MQTT channel: the public half of an ECDSA P-256 key pair whose private half lives only on
/// the device. Issuing a new one revokes the previous.
/// </summary>
public sealed class DeviceCredential
{
    public long Id { get; set; }
    public long DeviceId { get; set; }
    /// <summary>Base64 SubjectPublicKeyInfo.</summary>
    public required string PublicKey { get; set; }
    public DateTime IssuedAtUtc { get; set; }
    public long IssuedById { get; set; }
    public DateTime? RevokedAtUtc { get; set; }
}

/// <summary>A connect or disconnect, for the online history (R11) and the timeline.</summary>
public sealed class DeviceConnectionEvent
{
    public long Id { get; set; }
    public long DeviceId { get; set; }
    public DateTime AtUtc { get; set; }
    public bool Online { get; set; }
    /// <summary>Why: connected, disconnected, lost (keep-alive or will), taken over.</summary>
    public required string Reason { get; set; }
    public string? Endpoint { get; set; }
}
