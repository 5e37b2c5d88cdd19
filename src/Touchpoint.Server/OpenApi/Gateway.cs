using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Common;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Sdk;
using Touchpoint.Server.MemberInfo;

namespace Touchpoint.Server.OpenApi;

/// <summary>
/// <c>/gateway.do</c>: the Alipay OpenAPI v2 protocol (PROTOCOL.md §1–3). Every answer, success or failure, is
/// <c>{"&lt;method&gt;_response":{…},"sign":"…"}</c>, signed with the platform key over the node's exact bytes.
/// </summary>
public sealed class Gateway(
    IEnumerable<IGatewayMethod> methods,
    AppDirectory directory,
    PlatformKeyring keyring,
    IOptions<OpenApiOptions> options,
    TimeProvider clock,
    ILogger<Gateway> logger)
{
    private static readonly JsonSerializerOptions NodeJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Dictionary<string, IGatewayMethod> _methods = methods.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<string> MethodNames => _methods.Keys;

    public async Task HandleAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.Value.MaxRequestBytes;
        }
        string? method = null;
        string? aesKey = null;
        JsonObject node;
        try
        {
            var (parameters, form) = await ReadParametersAsync(http.Request, ct);
            method = parameters.GetValueOrDefault("method");
            var call = await AuthenticateAsync(parameters, form, ct, key => aesKey = key);
            var result = await _methods[call.Method].ExecuteAsync(call, ct);
            node = new JsonObject { ["code"] = "10000", ["msg"] = "Success" };
            foreach (var (name, value) in result.ToList())
            {
                result.Remove(name);
                node[name] = value;
            }
        }
        catch (GatewayError e)
        {
            node = ErrorNode(e);
        }
        catch (OpenPlatformViolation e)
        {
            node = ErrorNode(GatewayError.From(e));
        }
        catch (TouchpointException e)
        {
            node = ErrorNode(e.Kind switch
            {
                FailureKind.Forbidden => GatewayError.Permission("isv.insufficient-isv-permissions", e.Message),
                FailureKind.NotFound => GatewayError.Business("isv.resource-not-exist", e.Message),
                _ => GatewayError.Business("isv.business-failed", e.Message),
            });
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            node = ErrorNode(GatewayError.Invalid("isv.file-size-exceed", $"请求超过 {options.Value.MaxRequestBytes / 1024 / 1024}MB"));
        }
        catch (InvalidDataException e)
        {
            node = ErrorNode(GatewayError.Invalid("isv.invalid-parameter", $"请求体无法解析：{e.Message}"));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Gateway call {Method} failed", method);
            node = ErrorNode(GatewayError.Unavailable());
        }
        await WriteAsync(http.Response, method, node, aesKey, ct);
    }

    private async Task<GatewayCall> AuthenticateAsync(Dictionary<string, string> p, IFormCollection? form, CancellationToken ct,
        Action<string> encryptedWith)
    {
        var method = Require(p, "method", "isv.missing-method", "缺少方法名参数 method");
        var appId = Require(p, "app_id", "isv.missing-app-id", "缺少 app_id 参数");
        if (!_methods.ContainsKey(method))
        {
            throw GatewayError.Invalid("isv.invalid-method", $"不存在的方法名 {method}");
        }
        var version = Require(p, "version", "isv.missing-version", "缺少版本参数 version");
        if (version != "1.0")
        {
            throw GatewayError.Invalid("isv.invalid-version", $"版本 {version} 无效，应为 1.0");
        }
        var signType = Require(p, "sign_type", "isv.missing-signature-type", "缺少签名类型参数 sign_type");
        if (!AlipaySignature.IsKnownSignType(signType))
        {
            throw GatewayError.Invalid("isv.invalid-signature-type", $"签名类型 {signType} 无效，应为 RSA2 或 RSA");
        }
        var sign = Require(p, "sign", "isv.missing-signature", "缺少签名参数 sign");
        var timestamp = Require(p, "timestamp", "isv.missing-timestamp", "缺少时间戳参数 timestamp");
        CheckTimestamp(timestamp);
        if (p.TryGetValue("charset", out var charset) && !string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(charset, "utf8", StringComparison.OrdinalIgnoreCase))
        {
            throw GatewayError.Invalid("isv.invalid-charset", $"字符集 {charset} 不支持，请使用 utf-8");
        }
        if (p.TryGetValue("format", out var format) && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
        {
            throw GatewayError.Invalid("isv.invalid-format", $"格式 {format} 不支持，请使用 JSON");
        }

        var caller = await directory.FindAppAsync(appId, ct)
            ?? throw GatewayError.Invalid("isv.invalid-app-id", $"无效的 AppID 参数 {appId}");
        if (caller.PublicKey is null)
        {
            throw GatewayError.Invalid("isv.invalid-signature", "应用未设置接口加签方式（应用公钥），请在 开发设置 > 接口加签方式 中上传应用公钥");
        }
        var content = AlipaySignature.RequestContent(p);
        bool verified;
        try
        {
            verified = AlipaySignature.Verify(content, sign, caller.PublicKey, signType);
        }
        catch (CryptographicException)
        {
            verified = false;
        }
        if (!verified)
        {
            throw GatewayError.Invalid("isv.invalid-signature",
                "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：" + OptionalText.Clip(content, 1000));
        }

        GatewayToken? token = null;
        var target = caller;
        if (p.TryGetValue("app_auth_token", out var tokenText) && tokenText.Length > 0)
        {
            token = await directory.FindTokenAsync(tokenText, ct);
            if (token is null)
            {
                throw GatewayError.InvalidToken("aop.invalid-app-auth-token", "无效的应用授权令牌 app_auth_token（不存在或商家已解除授权）");
            }
            if (token.ThirdPartyAppId != caller.Id)
            {
                throw GatewayError.InvalidToken("aop.invalid-app-auth-token", "应用授权令牌不属于调用方应用");
            }
            target = await directory.FindAppAsync(token.MerchantAppCode, ct)
                ?? throw GatewayError.InvalidToken("aop.invalid-app-auth-token", "授权的商家应用已不存在");
        }

        var biz = p.GetValueOrDefault("biz_content");
        var decrypted = false;
        string? answerKey = null;
        if (p.TryGetValue("encrypt_type", out var encryptType) && encryptType.Length > 0)
        {
            if (encryptType != "AES")
            {
                throw GatewayError.Invalid("isv.invalid-encrypt-type", $"加密类型 {encryptType} 不支持，应为 AES");
            }
            // Encrypted content is the target app's: on behalf of a merchant, its key is the merchant app's.
            var keyOwner = target;
            if (keyOwner.AesKey is null)
            {
                throw GatewayError.Invalid("isv.invalid-encrypt", "应用未设置接口内容加密方式（AES 密钥）");
            }
            if (!string.IsNullOrEmpty(biz))
            {
                try
                {
                    biz = AesContent.Decrypt(biz, keyOwner.AesKey);
                    decrypted = true;
                }
                catch (Exception e) when (e is FormatException or CryptographicException)
                {
                    throw DecryptionFailed();
                }
            }
            answerKey = keyOwner.AesKey;
        }

        JsonObject bizObject;
        try
        {
            bizObject = string.IsNullOrWhiteSpace(biz) ? [] : JsonNode.Parse(biz) as JsonObject
                ?? throw new JsonException("not an object");
        }
        catch (JsonException) when (decrypted)
        {
            // About one wrong key in 256 passes the padding check; what comes out is then garbage, not JSON. The same
            // answer as bad padding: telling the two apart would be a padding oracle.
            throw DecryptionFailed();
        }
        catch (JsonException)
        {
            throw GatewayError.Invalid("isv.invalid-biz-content", "biz_content 不是合法的 JSON 对象");
        }
        // Only once the content is known to be the caller's: an answer encrypted with a key the caller does not hold
        // would hide the very error that tells it so.
        if (answerKey is not null)
        {
            encryptedWith(answerKey);
        }

        return new GatewayCall
        {
            Method = method,
            Caller = caller,
            Target = target,
            Token = token,
            Biz = bizObject,
            Parameters = p,
            Files = form is null ? [] : await ReadFilesAsync(form, ct),
        };
    }

    private static GatewayError DecryptionFailed() =>
        GatewayError.Invalid("isv.invalid-encrypt", "解密出错，请检查 AES 密钥与加密方式（AES/CBC/PKCS5Padding，IV 全 0）");

    private void CheckTimestamp(string timestamp)
    {
        if (!DateTime.TryParseExact(timestamp, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            throw GatewayError.Invalid("isv.invalid-timestamp", $"时间戳 {timestamp} 格式错误，应为 yyyy-MM-dd HH:mm:ss");
        }
        var utc = DateTime.SpecifyKind(local - Common.ChinaTime.Offset, DateTimeKind.Utc);
        var tolerance = TimeSpan.FromMinutes(options.Value.TimestampToleranceMinutes);
        if ((utc - clock.GetUtcNow().UtcDateTime).Duration() > tolerance)
        {
            throw GatewayError.Invalid("isv.invalid-timestamp",
                $"时间戳 {timestamp} 与服务器时间（北京时间）相差超过 {options.Value.TimestampToleranceMinutes} 分钟");
        }
    }

    private static async Task<(Dictionary<string, string>, IFormCollection?)> ReadParametersAsync(HttpRequest request, CancellationToken ct)
    {
        // Query first, then the body; the official SDKs never send a key in both, and the first one wins if a client does.
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            parameters.TryAdd(key, value.ToString());
        }
        IFormCollection? form = null;
        if (request.HasFormContentType)
        {
            form = await request.ReadFormAsync(ct);
            foreach (var (key, value) in form)
            {
                parameters.TryAdd(key, value.ToString());
            }
        }
        return (parameters, form);
    }

    private static async Task<IReadOnlyList<MediaFile>> ReadFilesAsync(IFormCollection form, CancellationToken ct)
    {
        var files = new List<MediaFile>(form.Files.Count);
        foreach (var file in form.Files)
        {
            if (file.Length > FieldApplicationRules.MaxMediaBytes)
            {
                // Refuse before copying: the rule would refuse anyway and the copy is wasted memory.
                throw GatewayError.Invalid("isv.file-size-exceed", $"{file.Name}（{file.FileName}）超过 10MB");
            }
            files.Add(await MediaFile.FromFormFileAsync(file, ct));
        }
        return files;
    }

    private async Task WriteAsync(HttpResponse response, string? method, JsonObject node, string? aesKey, CancellationToken ct)
    {
        var key = string.IsNullOrEmpty(method) ? "error_response" : method.Replace('.', '_') + "_response";
        var nodeText = node.ToJsonString(NodeJson);
        if (aesKey is not null)
        {
            // An encrypted answer is a JSON string; the signature covers it with its quotes (PROTOCOL.md §2).
            nodeText = "\"" + AesContent.Encrypt(nodeText, aesKey) + "\"";
        }
        var nodeBytes = Encoding.UTF8.GetBytes(nodeText);
        var sign = AlipaySignature.Sign(nodeBytes, keyring.PrivateKey);
        var body = new StringBuilder(nodeText.Length + key.Length + sign.Length + 20)
            .Append("{\"").Append(key).Append("\":").Append(nodeText).Append(",\"sign\":\"").Append(sign).Append("\"}").ToString();
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(body, Encoding.UTF8, ct);
    }

    private static JsonObject ErrorNode(GatewayError e) => new()
    {
        ["code"] = e.Code,
        ["msg"] = e.Msg,
        ["sub_code"] = e.SubCode,
        ["sub_msg"] = e.SubMsg,
    };

    private static string Require(Dictionary<string, string> p, string name, string subCode, string subMsg) =>
        p.TryGetValue(name, out var value) && value.Length > 0 ? value : throw GatewayError.Missing(subCode, subMsg);
}
