namespace Touchpoint.Core.OpenPlatform;

/// <summary>Which Alipay error family a rule's refusal belongs to; the gateway maps it to 40001/40002/40004/40006.</summary>
public enum ViolationKind
{
    MissingArgument,
    InvalidArgument,
    BusinessFailed,
    InsufficientPermissions,
}

/// <summary>
/// A refusal with the sub_code the gateway answers and the Chinese text the console shows, so that the API
/// and the console apply one rule with one message.
/// </summary>
public sealed class OpenPlatformViolation(ViolationKind kind, string subCode, string message) : Exception(message)
{
    public ViolationKind Kind { get; } = kind;
    public string SubCode { get; } = subCode;

    public static OpenPlatformViolation Missing(string name) => new(ViolationKind.MissingArgument, "isv.missing-parameter", $"缺少必选参数 {name}");
    public static OpenPlatformViolation Invalid(string subCode, string message) => new(ViolationKind.InvalidArgument, subCode, message);
    public static OpenPlatformViolation Business(string subCode, string message) => new(ViolationKind.BusinessFailed, subCode, message);
    public static OpenPlatformViolation Permission(string subCode, string message) => new(ViolationKind.InsufficientPermissions, subCode, message);
}
