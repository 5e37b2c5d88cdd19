using System.Text.Json.Nodes;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.MemberInfo;

namespace Touchpoint.Server.OpenApi;

/// <summary>A verified call as a method sees it: who called, for which app, with which business parameters.</summary>
public sealed class GatewayCall
{
    public required string Method { get; init; }
    /// <summary>The app that signed the call.</summary>
    public required GatewayApp Caller { get; init; }
    /// <summary>The app the call runs against: the caller, or the merchant app behind app_auth_token.</summary>
    public required GatewayApp Target { get; init; }
    public long TargetAppId => Target.Id;
    /// <summary>Set when a third-party app acts on behalf of a merchant app.</summary>
    public GatewayToken? Token { get; init; }
    public required JsonObject Biz { get; init; }
    /// <summary>Every received parameter (query and form merged), for methods that take top-level fields.</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }
    public required IReadOnlyList<MediaFile> Files { get; init; }

    public bool OnBehalf => Token is not null;

    /// <summary>A business parameter from biz_content, or the same name at top level (upload methods send them there).</summary>
    public string? Text(string name)
    {
        if (Biz.TryGetPropertyValue(name, out var node) && node is not null)
        {
            return node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
        }
        return Parameters.TryGetValue(name, out var value) ? value : null;
    }

    public string Required(string name) =>
        string.IsNullOrWhiteSpace(Text(name)) ? throw OpenPlatformViolation.Missing(name) : Text(name)!.Trim();
}

/// <summary>One gateway method; returns the fields of a successful response node (code and msg are added).</summary>
public interface IGatewayMethod
{
    string Name { get; }
    Task<JsonObject> ExecuteAsync(GatewayCall call, CancellationToken ct);
}
