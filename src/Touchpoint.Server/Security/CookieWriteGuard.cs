namespace Touchpoint.Server.Security;

/// <summary>
/// Cross-site request forgery guard for the JSON API: a state-changing /api request that carries the console's auth
/// cookie must also carry the header <c>X-Requested-With</c>. A foreign page can make the browser send the cookie
/// with a form post (multipart and CSV uploads included), but it cannot add a custom header without a CORS preflight,
/// which Touchpoint never grants. The console's own forms (login, logout) use anti-forgery tokens instead.
/// </summary>
public static class CookieWriteGuard
{
    public const string Header = "X-Requested-With";

    public static IApplicationBuilder UseCookieWriteGuard(this IApplicationBuilder app, string cookieName) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/api") && !IsSafe(request.Method) && request.Cookies.ContainsKey(cookieName)
            && !request.Headers.ContainsKey(Header))
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "请求参数有误",
                detail: $"缺少请求头 {Header}：以登录 Cookie 调用的写操作必须带上它（防跨站请求伪造）").ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
}
