using Touchpoint.Core.Common;
using Touchpoint.Core.OpenPlatform;

namespace Touchpoint.Server.Common;

/// <summary>Turns a rule's refusal into a ProblemDetails response whose detail is the Chinese message.</summary>
internal sealed class TouchpointErrorFilter : IEndpointFilter
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
