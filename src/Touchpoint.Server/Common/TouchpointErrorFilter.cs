using Touchpoint.Core.Common;
using Touchpoint.Core.OpenPlatform;

namespace Touchpoint.Server.Common;

/// <summary>Turns a rule's refusal into a ProblemDetails response whose detail is the Chinese message.</summary>
internal sealed class TouchpointErrorFilter(ILogger<TouchpointErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (TouchpointException e)
        {
            return TypedResults.Problem(detail: e.Message, statusCode: StatusFor(e.Kind), title: TitleFor(e.Kind));
        }
        catch (OpenPlatformViolation e)
        {
            var kind = e.Kind == ViolationKind.InsufficientPermissions ? FailureKind.Forbidden : FailureKind.Invalid;
            return TypedResults.Problem(detail: e.Message, statusCode: StatusFor(kind), title: TitleFor(kind),
                extensions: new Dictionary<string, object?> { ["sub_code"] = e.SubCode });
        }
        catch (BadHttpRequestException e) when (!context.HttpContext.Response.HasStarted)
        {
            return TypedResults.Problem(statusCode: e.StatusCode, title: "请求参数有误",
                detail: e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "请求体过大" : "请求无法解析，请检查参数与格式");
        }
        catch (Exception e) when (!context.HttpContext.Response.HasStarted
            && (e is not OperationCanceledException || !context.HttpContext.RequestAborted.IsCancellationRequested))
        {
            // Not a rule's answer: a real failure. The caller gets a trace id to quote, the log gets the details;
            // never a business message that would hide it (e.g. a database error reported as "已在审核中").
            var traceId = System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            logger.LogError(e, "Request {Method} {Path} failed (trace {TraceId})", context.HttpContext.Request.Method,
                context.HttpContext.Request.Path, traceId);
            return TypedResults.Problem(detail: $"服务器内部错误，请稍后重试；如仍失败请联系平台运营并提供追踪号 {traceId}",
                statusCode: StatusCodes.Status500InternalServerError, title: "服务器错误",
                extensions: new Dictionary<string, object?> { ["traceId"] = traceId });
        }
    }

    internal static int StatusFor(FailureKind kind) => kind switch
    {
        FailureKind.Invalid => StatusCodes.Status400BadRequest,
        FailureKind.NotFound => StatusCodes.Status404NotFound,
        FailureKind.Forbidden => StatusCodes.Status403Forbidden,
        FailureKind.Conflict => StatusCodes.Status409Conflict,
        FailureKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
        FailureKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static string TitleFor(FailureKind kind) => kind switch
    {
        FailureKind.Invalid => "请求参数有误",
        FailureKind.NotFound => "未找到",
        FailureKind.Forbidden => "无权操作",
        FailureKind.Conflict => "状态冲突",
        FailureKind.TooManyRequests => "请求过于频繁",
        FailureKind.Unavailable => "服务暂不可用",
        _ => "服务器错误",
    };
}

internal static class ApiGroupExtensions
{
    /// <summary>An authenticated /api group whose rule failures come back as ProblemDetails.</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).RequireAuthorization().AddEndpointFilter<TouchpointErrorFilter>().DisableAntiforgery();
}
