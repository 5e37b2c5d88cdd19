using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Touchpoint.Sdk;

/// <summary>
/// A minimal OpenAPI v2 client: signs like the official SDKs (common parameters in the query string, the rest in the
/// body), verifies the response signature over the node's exact bytes, and decrypts AES responses.
/// </summary>
public sealed class OpenApiClient : IDisposable
{
    private static readonly string[] QueryKeys =
        ["app_id", "method", "format", "charset", "sign_type", "sign", "timestamp", "version", "notify_url", "return_url", "auth_token", "app_auth_token"];
    private static readonly TimeZoneInfo ChinaTime = TimeZoneInfo.CreateCustomTimeZone("China", TimeSpan.FromHours(8), "China", "China");

    private readonly HttpClient _http;
    private readonly OpenApiClientOptions _options;
    private readonly RSA _privateKey;
    private readonly RSA _platformKey;

    public OpenApiClient(HttpClient http, OpenApiClientOptions options)
    {
        _http = http;
        _options = options;
        _privateKey = RsaKeys.ImportPrivateKey(options.PrivateKey);
        _platformKey = RsaKeys.ImportPublicKey(options.PlatformPublicKey);
    }

    /// <summary>Calls <paramref name="method"/> with <paramref name="bizContent"/> (an object serialized as is, or a JSON string).</summary>
    public async Task<OpenApiResponse> ExecuteAsync(
        string method, object? bizContent = null, string? appAuthToken = null, bool encrypt = false,
        IReadOnlyList<OpenApiFile>? files = null, IReadOnlyDictionary<string, string>? extra = null,
        CancellationToken cancellationToken = default)
    {
        var parameters = BuildSignedParameters(method, bizContent, appAuthToken, encrypt, extra);
        var query = string.Join('&', parameters.Where(p => QueryKeys.Contains(p.Key))
            .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var uri = new Uri(_options.Gateway + (_options.Gateway.Query.Length > 0 ? "&" : "?") + query);
        var bodyParameters = parameters.Where(p => !QueryKeys.Contains(p.Key)).ToList();

        HttpContent content;
        if (files is { Count: > 0 })
        {
            var multipart = new MultipartFormDataContent();
            foreach (var (key, value) in bodyParameters)
            {
                multipart.Add(new StringContent(value, Encoding.UTF8), key);
            }
            foreach (var file in files)
            {
                var part = new ByteArrayContent(file.Content);
                part.Headers.ContentType = MediaTypeHeaderValue.Parse(file.ContentType);
                multipart.Add(part, file.FieldName, file.FileName);
            }
            content = multipart;
        }
        else
        {
            content = new FormUrlEncodedContent(bodyParameters);
        }

        using var response = await _http.PostAsync(uri, content, cancellationToken);
        var raw = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new OpenApiException($"HTTP {(int)response.StatusCode}", raw);
        }
        return Verify(method, raw, encrypt);
    }

    /// <summary>The parameters the official SDKs send, signed; exposed for tests and hand-made requests.</summary>
    public List<KeyValuePair<string, string>> BuildSignedParameters(
        string method, object? bizContent, string? appAuthToken = null, bool encrypt = false,
        IReadOnlyDictionary<string, string>? extra = null, DateTime? timestampUtc = null)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["app_id"] = _options.AppId,
            ["method"] = method,
            ["charset"] = "utf-8",
            ["version"] = "1.0",
            ["sign_type"] = _options.SignType,
            ["timestamp"] = TimeZoneInfo.ConvertTimeFromUtc(timestampUtc ?? DateTime.UtcNow, ChinaTime).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        };
        if (appAuthToken is not null)
        {
            parameters["app_auth_token"] = appAuthToken;
        }
        if (bizContent is not null)
        {
            var json = bizContent as string ?? JsonSerializer.Serialize(bizContent);
            if (encrypt)
            {
                parameters["encrypt_type"] = "AES";
                json = AesContent.Encrypt(json, _options.AesKey ?? throw new InvalidOperationException("AesKey is not set."));
            }
            parameters["biz_content"] = json;
        }
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            parameters[key] = value;
        }
        parameters["sign"] = AlipaySignature.Sign(AlipaySignature.RequestContent(parameters), _privateKey, _options.SignType);
        return parameters.ToList();
    }

    /// <summary>Checks the platform's signature over the response node's exact text and returns the node.</summary>
    public OpenApiResponse Verify(string method, string raw, bool encrypted = false)
    {
        var key = method.Replace('.', '_') + "_response";
        using var document = JsonDocument.Parse(raw);
        if (!document.RootElement.TryGetProperty(key, out var node))
        {
            throw new OpenApiException($"The response has no {key}.", raw);
        }
        var sign = document.RootElement.TryGetProperty("sign", out var s) ? s.GetString() : null;
        if (!AlipaySignature.Verify(node.GetRawText(), sign, _platformKey))
        {
            throw new OpenApiException("The response signature does not verify with the platform public key.", raw);
        }
        JsonElement result;
        if (encrypted && node.ValueKind == JsonValueKind.String)
        {
            var plain = AesContent.Decrypt(node.GetString()!, _options.AesKey!);
            using var decrypted = JsonDocument.Parse(plain);
            result = decrypted.RootElement.Clone();
        }
        else
        {
            result = node.Clone();
        }
        return new OpenApiResponse { Method = method, Node = result, RawBody = raw };
    }

    public void Dispose()
    {
        _privateKey.Dispose();
        _platformKey.Dispose();
    }
}
