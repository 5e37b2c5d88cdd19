namespace Touchpoint.Core.Common;

/// <summary>What kind of failure a rule reported; the host maps it to an HTTP status or a console message.</summary>
public enum FailureKind
{
    Invalid,
    NotFound,
    Forbidden,
    Conflict,
    TooManyRequests,
    /// <summary>Something the platform depends on (an external broker) is not there; trying again later may work.</summary>
    Unavailable,
}

/// <summary>
/// A rule said no. <see cref="Exception.Message"/> is the Chinese text shown to the user as is,
/// so it must never carry internals.
/// </summary>
public sealed class TouchpointException(FailureKind kind, string message) : Exception(message)
{
    public FailureKind Kind { get; } = kind;

    public static TouchpointException Invalid(string message) => new(FailureKind.Invalid, message);
    public static TouchpointException NotFound(string message) => new(FailureKind.NotFound, message);
    public static TouchpointException Forbidden(string message) => new(FailureKind.Forbidden, message);
    public static TouchpointException Conflict(string message) => new(FailureKind.Conflict, message);
    public static TouchpointException Unavailable(string message) => new(FailureKind.Unavailable, message);
}
