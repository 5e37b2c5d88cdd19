using System.Diagnostics;
using System.Text;
using Touchpoint.Core.Common;

namespace Touchpoint.Server.Members;

public sealed record BackendExchange(string Url, string RequestBody, int? Status, string ResponseBody, int DurationMs);

/// <summary>The preview's my.request: POSTs the payload to the developer's back end and reports what came back.</summary>
public sealed class PreviewBackendClient(IHttpClientFactory httpFactory)
{
    public const string HttpClientName = "preview-backend";

    public async Task<BackendExchange> PostAsync(string url, string payload, CancellationToken ct = default)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw TouchpointException.Invalid("后端服务地址应为 http:// 或 https:// 开头的完整地址");
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var http = httpFactory.CreateClient(HttpClientName);
            http.Timeout = TimeSpan.FromSeconds(10);
            using var response = await http.PostAsync(uri, new StringContent(payload, Encoding.UTF8, "application/json"), ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return new BackendExchange(url, payload, (int)response.StatusCode, OptionalText.Clip(body, 2000) ?? "",
                (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new BackendExchange(url, payload, null, $"请求失败：{e.Message}", (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
