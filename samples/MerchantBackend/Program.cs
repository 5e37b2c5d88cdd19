using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Touchpoint.Sdk;

namespace MerchantBackend;

/// <summary>
/// The smallest useful merchant back end. Keys come from a Touchpoint sandbox file (<c>--Sandbox data/demo/sandbox-app.json</c>)
/// or from <c>PlatformPublicKey</c> and <c>AesKey</c>. POST /api/phone-number decrypts a mini-program's phone-number
/// payload; POST /alipay/gateway is an 应用网关 that checks and acknowledges notifications; GET / shows what arrived.
/// </summary>
public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var keys = MerchantKeys.From(builder.Configuration);
        builder.Services.AddSingleton(keys);
        builder.Services.AddSingleton<Received>();
        var app = builder.Build();

        app.MapPost("/api/phone-number", async (HttpRequest request, MerchantKeys keys, Received received) =>
        {
            using var reader = new StreamReader(request.Body);
            var payload = await reader.ReadToEndAsync();
            try
            {
                using var decryptor = new PhoneNumberDecryptor(keys.PlatformPublicKey, keys.AesKey);
                var mobile = decryptor.Decrypt(payload);
                received.Numbers.Enqueue((DateTime.Now, mobile));
                return Results.Ok(new { mobile });
            }
            catch (PhoneNumberException e)
            {
                received.Errors.Enqueue((DateTime.Now, e.Message));
                return Results.BadRequest(new { error = e.Message });
            }
        });

        app.MapPost("/alipay/gateway", async (HttpRequest request, MerchantKeys keys, Received received) =>
        {
            var form = await request.ReadFormAsync();
            var parameters = form.ToDictionary(p => p.Key, p => p.Value.ToString());
            using var verifier = new NotificationVerifier(keys.PlatformPublicKey);
            if (!verifier.Verify(parameters))
            {
                received.Errors.Enqueue((DateTime.Now, "通知验签失败"));
                return Results.Text("fail");
            }
            received.Notifications.Enqueue((DateTime.Now, parameters.GetValueOrDefault("msg_method") + " " + parameters.GetValueOrDefault("biz_content")));
            return Results.Text("success");
        }).DisableAntiforgery();

        app.MapGet("/", (Received received) => Results.Content(received.Html(), "text/html; charset=utf-8"));
        app.Run();
    }
}

/// <summary>The two keys a merchant back end needs: the platform public key and the app's AES key.</summary>
public sealed record MerchantKeys(string PlatformPublicKey, string AesKey)
{
    public static MerchantKeys From(IConfiguration configuration)
    {
        if (configuration["Sandbox"] is { Length: > 0 } path)
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"Sandbox file {Path.GetFullPath(path)} not found: start the platform with ./run.sh first (it writes data/demo/sandbox-app.json), and pass an absolute path.");
            }
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return new MerchantKeys(document.RootElement.GetProperty("platform_public_key").GetString()!,
                document.RootElement.GetProperty("aes_key").GetString()!);
        }
        return new MerchantKeys(
            configuration["PlatformPublicKey"] ?? throw new InvalidOperationException("Set Sandbox=<sandbox-app.json> or PlatformPublicKey and AesKey."),
            configuration["AesKey"] ?? throw new InvalidOperationException("Set AesKey (接口内容加密 AES 密钥)."));
    }
}

/// <summary>What arrived, newest last, for the page.</summary>
public sealed class Received
{
    public ConcurrentQueue<(DateTime At, string Mobile)> Numbers { get; } = new();
    public ConcurrentQueue<(DateTime At, string Text)> Notifications { get; } = new();
    public ConcurrentQueue<(DateTime At, string Text)> Errors { get; } = new();

    public string Html()
    {
        static string Items(IEnumerable<(DateTime At, string Text)> items, string testId) =>
            string.Concat(items.Reverse().Select(i => $"<li data-testid=\"{testId}\">{i.At:HH:mm:ss} {WebUtility.HtmlEncode(i.Text)}</li>"));
        return $"""
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>商家后端示例</title></head>
            <body style="font-family:sans-serif;margin:24px">
            <h1>商家后端示例</h1>
            <h2>已解密的会员手机号</h2><ul>{Items(Numbers.Select(n => (n.At, n.Mobile)), "mobile")}</ul>
            <h2>收到的异步通知</h2><ul>{Items(Notifications, "notification")}</ul>
            <h2>拒绝的报文</h2><ul>{Items(Errors, "error")}</ul>
            </body></html>
            """;
    }
}
