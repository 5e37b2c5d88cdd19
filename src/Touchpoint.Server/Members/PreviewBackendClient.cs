using System.Diagnostics;
using System.Text;
using Touchpoint.Core.Common;

namespace Touchpoint.Server.Members;

public sealed record BackendExchange(string Url, string RequestBody, int? Status, string ResponseBody, int DurationMs);

/// <summary>
/// The preview's my.request: POSTs the payload to the developer's back end and reports what came back — the status and
/// a short excerpt with control characters removed, read no further than that, so the platform cannot be used to
/// fetch and show pages it can reach (addresses are checked by <see cref="Security.OutboundUrlPolicy"/> on connect).
/// </summary>
public sealed class PreviewBackendClient(IHttpClientFactory httpFactory, Security.OutboundUrlPolicy outbound)
{
    public const string HttpClientName = "preview-backend";
    public const int ExcerptChars = 300;

    public async Task<BackendExchange> PostAsync(string url, string payload, CancellationToken ct = default)
    {
        outbound.CheckUrl(url, "后端服务地址");
        var uri = new Uri(url);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var http = httpFactory.CreateClient(HttpClientName);
            // One deadline for the answer's headers and the excerpt: a back end that stalls mid-body holds nothing for long.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(10));
            ct = deadline.Token;
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var body = await ReadExcerptAsync(response, ct);
            return new BackendExchange(url, payload, (int)response.StatusCode, body, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return new BackendExchange(url, payload, null, $"请求失败：{OptionalText.Clip(e.Message, 200)}", (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private static async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[ExcerptChars * 4]; // UTF-8: at most four bytes a character
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), ct)) > 0)
        {
            total += read;
        }
        var text = Encoding.UTF8.GetString(buffer, 0, total);
        var clean = new string(text.Where(c => !char.IsControl(c) || c is '\n' or '\t').ToArray());
        return clean.Length > ExcerptChars ? clean[..ExcerptChars] + "…" : clean;
    }
}
