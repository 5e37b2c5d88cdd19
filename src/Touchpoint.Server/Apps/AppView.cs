using Touchpoint.Core.OpenPlatform;

namespace Touchpoint.Server.Apps;

/// <summary>An app as its owner sees it in the console and the /api/open endpoints. Never the AES key: that is revealed on request.</summary>
public sealed record AppView(string AppId, string Name, AppKind Kind, string KindName, string? PublicKey, bool HasAesKey,
    string? GatewayUrl, IReadOnlyList<string> Subscriptions, IReadOnlyList<string> FeaturePackages, string? CategoryId,
    string? CategoryName, string? LogoUrl, string? Description, string? ServicePhone, string? ServiceEmail,
    bool BasicInfoComplete, DateTime CreatedAtUtc)
{
    public static AppView From(DeveloperApp app) => new(app.AppId, app.Name, app.Kind, app.Kind.ChineseName(), app.PublicKey,
        app.AesKey is not null, app.GatewayUrl, app.SubscriptionList, app.FeaturePackageList, app.CategoryId,
        MemberFieldCatalogue.FindCategory(app.CategoryId)?.Name, app.LogoUrl, app.Description, app.ServicePhone, app.ServiceEmail,
        app.BasicInfoComplete, app.CreatedAtUtc);
}
