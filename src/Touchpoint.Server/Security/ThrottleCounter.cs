namespace Touchpoint.Server.Security;

/// <summary>
/// One fixed-window counter of <see cref="RequestThrottle"/>, shared by every node through the database.
/// Instants are Unix milliseconds so that one SQL statement works on SQLite and PostgreSQL alike.
/// </summary>
public sealed class ThrottleCounter
{
    /// <summary>What is counted, e.g. "login:203.0.113.7|admin" or "owner-lookup:42".</summary>
    public required string Key { get; set; }
    public long WindowStartMs { get; set; }
    public int Count { get; set; }
    /// <summary>Until when the key is refused outright (login delays); 0 when it is not.</summary>
    public long BlockedUntilMs { get; set; }
}
