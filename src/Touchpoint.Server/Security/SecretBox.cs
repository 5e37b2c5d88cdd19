using Microsoft.AspNetCore.DataProtection;

namespace Touchpoint.Server.Security;

/// <summary>
/// Seals secrets kept in the database (the platform private key, apps' AES keys, app_auth_tokens) with ASP.NET Core
/// Data Protection. The key ring lives in the database too (DataProtectionKeys), so every node opens what any node
/// sealed; whoever holds the database holds the ring as well: protect the database and its backups (README, "Security").
/// </summary>
public sealed class SecretBox(IDataProtectionProvider provider)
{
    /// <summary>Sealed values carry this prefix; a value without it is from before sealing and is sealed at start.</summary>
    public const string Prefix = "dp1:";

    private readonly IDataProtector _protector = provider.CreateProtector("Touchpoint.Secrets.v1");

    public string Seal(string plain) => Prefix + _protector.Protect(plain);

    public static bool IsSealed(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Opens a sealed value; a legacy clear value (not yet converted) is returned as it is.</summary>
    public string Open(string sealedOrLegacy) =>
        IsSealed(sealedOrLegacy) ? _protector.Unprotect(sealedOrLegacy[Prefix.Length..]) : sealedOrLegacy;

    public string? OpenOrNull(string? value) => value is null ? null : Open(value);
}
