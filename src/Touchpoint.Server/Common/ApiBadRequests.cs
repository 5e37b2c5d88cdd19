namespace Touchpoint.Server.Common;

/// <summary>
/// Requests the framework cannot bind (malformed JSON, a missing body, an upload past its size limit) fail before any
/// endpoint filter runs. They are turned into the same Chinese ProblemDetails as every other refusal, with their status.
/// </summary>
public static class ApiBadRequests
{
    public static IServiceCollection AddApiBadRequests(this IServiceCollection services) =>
        // Binding failures are thrown (in every environment) so that the middleware below can answer them.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

    public static IApplicationBuilder UseApiBadRequests(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted && !context.Request.Path.StartsWithSegments("/api"))
        {
            // Console form posts (login with a stale anti-forgery token, say): the bare status, as the framework answers.
            context.Response.StatusCode = e.StatusCode;
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            var detail = e.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => "请求体过大：单个样例文件不超过 10MB，CSV 不超过 2MB",
                StatusCodes.Status415UnsupportedMediaType => "请求的内容类型不受支持（JSON 接口请用 application/json）",
                _ => "请求无法解析，请检查参数与 JSON 格式",
            };
            await Results.Problem(statusCode: e.StatusCode, title: "请求参数有误", detail: detail).ExecuteAsync(context);
        }
    });
}
