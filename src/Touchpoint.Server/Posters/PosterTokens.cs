using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Touchpoint.Server.Distribution;

namespace Touchpoint.Server.Posters;

/// <summary>
/// Signed addresses for posters, sealed with the platform's Data Protection ring (shared by every node): an image
/// address names the device and the image, so a device fetches only what its schedule lists; a clerk address names the
/// device and the schedule revision it was shown with, so it works once — the placement it allows moves the revision on.
/// </summary>
public sealed class PosterTokens(IDataProtectionProvider protection, DownloadTokens downloads, TimeProvider clock)
{
    public const string ContentPath = "/api/posters/content";
    public const string ClerkPath = "/clerk";
    public static readonly TimeSpan ContentLifetime = TimeSpan.FromDays(7);
    /// <summary>
    /// Long: a device's code changes only when its posters do, and a shop may go weeks without a change. The revision
    /// makes the code one-use; the lifetime only bounds a code photographed and kept.
    /// </summary>
    public static readonly TimeSpan ClerkLifetime = TimeSpan.FromDays(90);

    /// <summary>A clerk signs in once a shift on the shop's phone; disabling the clerk or resetting the password ends it sooner.</summary>
    public static readonly TimeSpan ClerkSessionLifetime = TimeSpan.FromHours(12);

    private readonly ITimeLimitedDataProtector _session = protection.CreateProtector("Touchpoint.Posters.ClerkSession.v1").ToTimeLimitedDataProtector();
    private readonly ITimeLimitedDataProtector _content = protection.CreateProtector("Touchpoint.Posters.Content.v1").ToTimeLimitedDataProtector();
    private readonly ITimeLimitedDataProtector _clerk = protection.CreateProtector("Touchpoint.Posters.Clerk.v1").ToTimeLimitedDataProtector();

    public string ContentUrl(long deviceId, string sha256) =>
        $"{downloads.BaseUrl()}{ContentPath}/{sha256}?token={Uri.EscapeDataString(_content.Protect($"{deviceId}:{sha256}", clock.GetUtcNow().Add(ContentLifetime)))}";

    /// <summary>The device the token was issued to, when it is genuine, unexpired and for this image.</summary>
    public long? ReadContent(string? token, string sha256)
    {
        var parts = Unprotect(_content, token);
        return parts is [var device, var sha] && sha == sha256 ? long.Parse(device, CultureInfo.InvariantCulture) : null;
    }

    public string ClerkToken(long deviceId, int revision) =>
        _clerk.Protect(string.Create(CultureInfo.InvariantCulture, $"{deviceId}:{revision}"), clock.GetUtcNow().Add(ClerkLifetime));

    public string ClerkUrl(string sn, long deviceId, int revision) =>
        $"{downloads.BaseUrl()}{ClerkPath}/{Uri.EscapeDataString(sn)}?code={Uri.EscapeDataString(ClerkToken(deviceId, revision))}";

    /// <summary>The device and revision a clerk code was shown with; null when it is not genuine or has expired.</summary>
    public (long DeviceId, int Revision)? ReadClerk(string? token) => Unprotect(_clerk, token) is [var device, var revision]
        ? (long.Parse(device, CultureInfo.InvariantCulture), int.Parse(revision, CultureInfo.InvariantCulture)) : null;

    /// <summary>A signed-in clerk's session: the clerk and the credential stamp it was signed in with.</summary>
    public string ClerkSession(long clerkId, int stamp) =>
        _session.Protect(string.Create(CultureInfo.InvariantCulture, $"{clerkId}:{stamp}"), clock.GetUtcNow().Add(ClerkSessionLifetime));

    public (long ClerkId, int Stamp)? ReadClerkSession(string? token) => Unprotect(_session, token) is [var clerk, var stamp]
        ? (long.Parse(clerk, CultureInfo.InvariantCulture), int.Parse(stamp, CultureInfo.InvariantCulture)) : null;

    private string[]? Unprotect(ITimeLimitedDataProtector protector, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        try
        {
            var parts = protector.Unprotect(token, out var expires).Split(':');
            return expires < clock.GetUtcNow() ? null : parts;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
