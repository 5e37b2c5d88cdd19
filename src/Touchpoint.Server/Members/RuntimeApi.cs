using System.Text.Json.Serialization;
using Touchpoint.Core.Members;
using Touchpoint.Core.OpenPlatform;

namespace Touchpoint.Server.Members;

public sealed record RuntimeConsent(
    [property: JsonPropertyName("app_id")] string? AppId,
    [property: JsonPropertyName("user_id")] string? UserId,
    [property: JsonPropertyName("scopes")] string? Scopes);

public sealed record RuntimePhoneRequest(
    [property: JsonPropertyName("app_id")] string? AppId,
    [property: JsonPropertyName("auth_code")] string? AuthCode);

/// <summary>A failure as the mini-program's fail callback receives it (seed 003's sample: camelCase keys).</summary>
public sealed record RuntimeError(string Code, string Msg, string SubCode, string SubMsg)
{
    public static RuntimeError From(OpenPlatformViolation e)
    {
        var error = OpenApi.GatewayError.From(e);
        return new(error.Code, error.Msg, error.SubCode, error.SubMsg);
    }
}

/// <summary>
/// What a mini-program runtime (the Alipay client, simulated) calls: the member's consent yields an auth code
/// (my.getAuthCode / the getAuthorize button), and the auth code yields the phone-number payload (my.getPhoneNumber).
/// Members are simulated; see docs/openapi.md.
/// </summary>
public static class RuntimeApi
{
    public static IEndpointRouteBuilder MapRuntimeApi(this IEndpointRouteBuilder app)
    {
        // The simulated Alipay client mints members' consent for any app: a demo and test tool, off in production.
        if (!app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Demo.DemoOptions>>().Value.Seed)
        {
            return app;
        }
        var runtime = app.MapGroup("/runtime").AllowAnonymous().DisableAntiforgery();
        runtime.MapPost("/authorize", async (RuntimeConsent body, MemberAuthService auth, CancellationToken ct) =>
            await Guard(async () =>
            {
                MemberScope scopes;
                try
                {
                    scopes = MemberScopes.Parse(body.Scopes);
                }
                catch (ArgumentException e)
                {
                    throw OpenPlatformViolation.Invalid("isv.invalid-scope", e.Message);
                }
                var code = await auth.ConsentAsync(body.AppId ?? "", body.UserId ?? "", scopes, ct);
                return Results.Ok(new { auth_code = code, expires_in = (int)MemberAuthService.CodeLifetime.TotalSeconds });
            }));
        runtime.MapPost("/phone-number", async (RuntimePhoneRequest body, PhoneNumberService phone, CancellationToken ct) =>
            await Guard(async () =>
            {
                var payload = await phone.GetAsync(body.AppId ?? "", body.AuthCode, ct);
                // my.getPhoneNumber's success result: `response` is the JSON string the mini-program passes on.
                return Results.Ok(new { response = payload.Response });
            }));
        Payments.PaymentRuntimeApi.MapPaymentRuntime(runtime);
        return app;
    }

    private static async Task<IResult> Guard(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (OpenPlatformViolation e)
        {
            var error = RuntimeError.From(e);
            return Results.Json(new { code = error.Code, msg = error.Msg, subCode = error.SubCode, subMsg = error.SubMsg },
                statusCode: error.Code == "40006" ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest);
        }
    }
}
