using Touchpoint.Core.OpenPlatform;

namespace Touchpoint.Server.OpenApi;

/// <summary>An Alipay-style failure: code and msg of the family, sub_code and sub_msg of the cause.</summary>
public sealed class GatewayError(string code, string msg, string subCode, string subMsg) : Exception(subMsg)
{
    public string Code { get; } = code;
    public string Msg { get; } = msg;
    public string SubCode { get; } = subCode;
    public string SubMsg { get; } = subMsg;

    public static GatewayError Unavailable(string subMsg = "系统繁忙，请稍后重试") =>
        new("20000", "Service Currently Unavailable", "isp.unknow-error", subMsg);
    public static GatewayError InvalidToken(string subCode, string subMsg) =>
        new("20001", "Insufficient Token Permissions", subCode, subMsg);
    public static GatewayError Missing(string subCode, string subMsg) =>
        new("40001", "Missing Required Arguments", subCode, subMsg);
    public static GatewayError Invalid(string subCode, string subMsg) =>
        new("40002", "Invalid Arguments", subCode, subMsg);
    public static GatewayError Business(string subCode, string subMsg) =>
        new("40004", "Business Failed", subCode, subMsg);
    public static GatewayError Permission(string subCode, string subMsg) =>
        new("40006", "Insufficient Permissions", subCode, subMsg);

    public static GatewayError From(OpenPlatformViolation violation) => violation.Kind switch
    {
        ViolationKind.MissingArgument => Missing(violation.SubCode, violation.Message),
        ViolationKind.InvalidArgument => Invalid(violation.SubCode, violation.Message),
        ViolationKind.InsufficientPermissions => Permission(violation.SubCode, violation.Message),
        _ => Business(violation.SubCode, violation.Message),
    };
}
