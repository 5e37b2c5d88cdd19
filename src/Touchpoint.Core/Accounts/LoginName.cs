using System.Text.RegularExpressions;
using Touchpoint.Core.Common;

namespace Touchpoint.Core.Accounts;

public static partial class LoginName
{
    /// <summary>Lower-cases and checks a login name: 3–64 letters, digits, '.', '_', '-' or '@'.</summary>
    public static string Normalize(string? raw)
    {
        var value = (raw ?? "").Trim().ToLowerInvariant();
        if (!Shape().IsMatch(value))
        {
            throw TouchpointException.Invalid("登录名格式不正确：应为 3–64 位字母、数字或 . _ - @");
        }
        return value;
    }

    [GeneratedRegex("^[a-z0-9._@-]{3,64}$")]
    private static partial Regex Shape();
}
