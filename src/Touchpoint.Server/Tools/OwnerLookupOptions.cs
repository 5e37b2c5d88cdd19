namespace Touchpoint.Server.Tools;

/// <summary>Bound from "OwnerLookup". The limit is per account, so the tool cannot be used to walk the fleet.</summary>
public sealed class OwnerLookupOptions
{
    public int PermitsPerWindow { get; set; } = 10;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
