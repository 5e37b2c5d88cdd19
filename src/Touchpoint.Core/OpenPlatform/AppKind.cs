using Touchpoint.Core.Accounts;

namespace Touchpoint.Core.OpenPlatform;

/// <summary>The kinds of app an account creates under 开放平台 > 我的应用.</summary>
public enum AppKind
{
    MiniProgram,
    WebApp,
    ThirdParty,
    Template,
}

public static class AppKinds
{
    public static string ChineseName(this AppKind kind) => kind switch
    {
        AppKind.MiniProgram => "小程序",
        AppKind.WebApp => "网页/移动应用",
        AppKind.ThirdParty => "第三方应用",
        AppKind.Template => "模板小程序",
        _ => kind.ToString(),
    };

    /// <summary>Merchants build their own apps; service providers build third-party apps and templates.</summary>
    public static IReadOnlyList<AppKind> CreatableBy(AccountRole role) => role switch
    {
        AccountRole.Merchant => [AppKind.MiniProgram, AppKind.WebApp],
        AccountRole.ServiceProvider => [AppKind.ThirdParty, AppKind.Template],
        _ => [],
    };

    /// <summary>Mini-programs and templates carry basic information (name, category, logo …).</summary>
    public static bool HasBasicInfo(this AppKind kind) => kind is AppKind.MiniProgram or AppKind.Template;

    /// <summary>What a third-party app may be authorized to act for (R32: a template counts as a merchant app).</summary>
    public static bool CanAuthorizeThirdParty(this AppKind kind) => kind != AppKind.ThirdParty;
}
