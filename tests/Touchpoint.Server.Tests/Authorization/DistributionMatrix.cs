using System.Net.Http.Headers;
using System.Text.Json;
using Touchpoint.Core.Distribution;
using Touchpoint.Core.Grants;
using Touchpoint.Server.Distribution;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Server.Tests.Infrastructure;
using static Touchpoint.Server.Tests.Authorization.Rel;
using static Touchpoint.Server.Tests.Authorization.RowContext;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>
/// 应用分发: the catalogue (a publisher's own apps; open apps found by ID and kept as favorites by anyone; a closed app
/// is not there for others), tasks (owner or grantee with 应用分发 on every device; a task is its creator's, the merchant
/// it ran for sees it, the operator only views), troubleshooting (owner, grantee with 应用分发, operator), device downloads (a
/// signed address of a live job, nothing else).
/// </summary>
public static class DistributionMatrix
{
    private const string OpenApp = "the app is open";
    private const string OfficialApp = "an official app (the operator's to publish)";
    private const string ForgedToken = "a forged token";
    private const string LiveJob = "the signed address of a live job";
    private const string LiveJobRange = "the signed address of a live job, a range";
    private const string EndedJob = "the signed address of a job that ended";

    private const string Apps = "/api/distribution/apps/";
    private const string Search = "/api/distribution/apps/search";
    private const string App = "/api/distribution/apps/{appId}";
    private const string Open = "/api/distribution/apps/{appId}/open";
    private const string Favorite = "/api/distribution/apps/{appId}/favorite";
    private const string Versions = "/api/distribution/apps/{appId}/versions";
    private const string Picker = "/api/distribution/devices";
    private const string Tasks = "/api/distribution/tasks";
    private const string Task = "/api/distribution/tasks/{id:long}";
    private const string Start = "/api/distribution/tasks/{id:long}/start";
    private const string Pause = "/api/distribution/tasks/{id:long}/pause";
    private const string Resume = "/api/distribution/tasks/{id:long}/resume";
    private const string Cancel = "/api/distribution/tasks/{id:long}/cancel";
    private const string Retry = "/api/distribution/tasks/{id:long}/retry";
    private const string Targets = "/api/distribution/tasks/{id:long}/targets";
    private const string Steps = "/api/distribution/tasks/{id:long}/targets/{targetId:long}/steps";
    private const string Export = "/api/distribution/tasks/{id:long}/export";
    private const string Troubleshoot = "/api/distribution/troubleshoot";
    private const string Download = "/api/distribution/downloads/{sha256}";

    public static readonly IReadOnlyList<Row> Rows =
    [
        //  method    pattern       relation                  status  case
        new("GET",    Apps,         Owner,                    200),
        new("GET",    Apps,         ServiceProvider,          200),
        new("GET",    Apps,         Manufacturer,             200),
        new("GET",    Apps,         Operator,                 200),
        new("GET",    Apps,         Anonymous,                401),
        new("GET",    Search,       Owner,                    200),  // its own closed app
        new("GET",    Search,       OtherMerchant,            200),  // finds nothing: the app is closed
        new("GET",    Search,       OtherMerchant,            200, OpenApp),
        new("GET",    Search,       Anonymous,                401),
        new("POST",   Apps,         Owner,                    200),
        new("POST",   Apps,         ServiceProvider,          200),
        new("POST",   Apps,         Manufacturer,             200),
        new("POST",   Apps,         Operator,                 403),  // partner apps are developers'
        new("POST",   Apps,         Operator,                 200, OfficialApp),
        new("POST",   Apps,         Owner,                    403, OfficialApp),
        new("POST",   Apps,         Owner,                    400, Matrix.WithoutRequestedWith),
        new("POST",   Apps,         Anonymous,                401),
        new("GET",    App,          Owner,                    200),
        new("GET",    App,          OtherMerchant,            404),
        new("GET",    App,          OtherMerchant,            200, OpenApp),
        new("GET",    App,          ServiceProvider,          404),
        new("GET",    App,          Operator,                 200),
        new("GET",    App,          Anonymous,                401),
        new("POST",   Open,         Owner,                    200),
        new("POST",   Open,         OtherMerchant,            404),
        new("POST",   Open,         OtherMerchant,            403, OpenApp),
        new("POST",   Open,         Operator,                 403),
        new("POST",   Open,         Anonymous,                401),
        new("PUT",    Favorite,     OtherMerchant,            204, OpenApp),
        new("PUT",    Favorite,     OtherMerchant,            404),
        new("PUT",    Favorite,     Owner,                    204),
        new("PUT",    Favorite,     Anonymous,                401),
        new("DELETE", Favorite,     OtherMerchant,            204, OpenApp),
        new("DELETE", Favorite,     OtherMerchant,            404),
        new("DELETE", Favorite,     Anonymous,                401),
        new("POST",   Versions,     Owner,                    200),
        new("POST",   Versions,     OtherMerchant,            404),
        new("POST",   Versions,     OtherMerchant,            403, OpenApp),
        new("POST",   Versions,     Operator,                 403),
        new("POST",   Versions,     Anonymous,                401),
        new("GET",    Picker,       Owner,                    200),  // lists the owner's device
        new("GET",    Picker,       GranteeWithPermission,    200),  // lists it
        new("GET",    Picker,       GranteeWithoutPermission, 200),  // does not list it
        new("GET",    Picker,       OtherMerchant,            200),  // does not list it
        new("GET",    Picker,       Anonymous,                401),
        new("POST",   Tasks,        Owner,                    200),
        new("POST",   Tasks,        GranteeWithPermission,    200),
        new("POST",   Tasks,        GranteeWithoutPermission, 403),
        new("POST",   Tasks,        OtherMerchant,            403),
        new("POST",   Tasks,        ServiceProvider,          403),
        new("POST",   Tasks,        Manufacturer,             403),
        new("POST",   Tasks,        Operator,                 403),
        new("POST",   Tasks,        Owner,                    400, Matrix.WithoutRequestedWith),
        new("POST",   Tasks,        Anonymous,                401),
        new("GET",    Tasks,        Owner,                    200),  // lists the owner's task
        new("GET",    Tasks,        OtherMerchant,            200),  // does not
        new("GET",    Tasks,        Operator,                 200),  // lists it
        new("GET",    Tasks,        Anonymous,                401),
        new("GET",    Task,         Owner,                    200),
        new("GET",    Task,         GranteeWithPermission,    404),  // the owner's task, not the grantee's
        new("GET",    Task,         OtherMerchant,            404),
        new("GET",    Task,         Operator,                 200),
        new("GET",    Task,         Anonymous,                401),
        .. Operation(Start), .. Operation(Pause), .. Operation(Resume), .. Operation(Cancel), .. Operation(Retry),
        .. Read(Targets), .. Read(Steps), .. Read(Export),
        new("GET",    Troubleshoot, Owner,                    200),
        new("GET",    Troubleshoot, GranteeWithPermission,    200),
        new("GET",    Troubleshoot, GranteeWithoutPermission, 403),
        new("GET",    Troubleshoot, OtherMerchant,            403),
        new("GET",    Troubleshoot, ServiceProvider,          403),
        new("GET",    Troubleshoot, Operator,                 200),
        new("GET",    Troubleshoot, Anonymous,                401),
        new("GET",    Download,     Anonymous,                404),  // no token
        new("GET",    Download,     Anonymous,                404, ForgedToken),
        new("GET",    Download,     Owner,                    404),  // an account is no download right
        new("GET",    Download,     Anonymous,                200, LiveJob),
        new("GET",    Download,     Anonymous,                206, LiveJobRange),
        new("GET",    Download,     Anonymous,                404, EndedJob),
        .. Page("/distribution/apps"), .. Page("/distribution/apps/{AppId}"), .. Page("/distribution/tasks"), .. Page("/distribution/tasks/new"),
        .. Page("/distribution/tasks/{Id:long}"), .. Page("/tools/distribution"),
        new("GET",    "/distribution/apps/{AppId}",    OtherMerchant, 200),  // renders the refusal, not the app
        new("GET",    "/distribution/tasks/{Id:long}", OtherMerchant, 200),  // renders the refusal, not the task
        new("GET",    "/distribution/tasks/{Id:long}", Operator,      200),
    ];

    private static Row[] Operation(string pattern) =>
    [
        new("POST", pattern, Owner, 200), new("POST", pattern, OtherMerchant, 404), new("POST", pattern, Operator, 403), new("POST", pattern, Anonymous, 401),
    ];

    private static Row[] Read(string pattern) =>
    [
        new("GET", pattern, Owner, 200), new("GET", pattern, OtherMerchant, 404), new("GET", pattern, Operator, 200), new("GET", pattern, Anonymous, 401),
    ];

    private static Row[] Page(string pattern) =>
    [
        new("GET", pattern, Owner, 200), new("GET", pattern, Anonymous, 302), new("POST", pattern, Owner, 400), new("POST", pattern, Anonymous, 302),
    ];

    /// <summary>A light app of the owner with one version (light apps carry their version in the form: no APK to build).</summary>
    public static async Task<CatalogueAppView> AppAsync(MatrixWorld w, bool open, string name = "矩阵分发应用")
    {
        var app = await w.Owner.Client.PostAsync<CatalogueAppView>("/api/distribution/apps", new NewCatalogueApp(name, CatalogueKind.LightApp));
        (await VersionUploadAsync(w.Owner.Client, app.AppId)).EnsureSuccessStatusCode();
        if (open)
        {
            await w.Owner.Client.PostAsync<CatalogueAppView>($"/api/distribution/apps/{app.AppId}/open", new OpenRequest(true));
        }
        return app;
    }

    private static Task<HttpResponseMessage> VersionUploadAsync(HttpClient client, string appId) =>
        client.PostAsync($"/api/distribution/apps/{appId}/versions?versionName=1.0.{Random.Shared.Next(1000)}&versionCode={Random.Shared.Next(1, 1_000_000)}",
            new ByteArrayContent("light app bundle"u8.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });

    /// <summary>A task of the owner over a fresh device of its own: a draft, or started.</summary>
    public static async Task<DistributionTaskView> TaskAsync(MatrixWorld w, bool start, string name = "矩阵分发应用")
    {
        var app = await AppAsync(w, open: false, name);
        var sn = await w.OwnedDeviceAsync();
        return await w.Owner.CreateTaskAsync(DistributionAction.Install, app.AppId, null, [sn], start: start);
    }

    private static string? Lists(RowContext c, string body, string text, params Rel[] listedFor)
    {
        if (c.Row.Status != 200) return null;
        var listed = body.Contains(text, StringComparison.Ordinal);
        return listed == listedFor.Contains(c.Rel) ? null : $"{text} is {(listed ? "listed" : "missing")}";
    }

    private static Call Page(string url, Func<RowContext, string, string?>? check, RowContext c) =>
        Get(url, (response, body) => PublicMatrix.RedirectsTo("/login")(response, body)
            ?? (c.Row.Status == 200 && c.Row.Method == "GET" && check is not null ? check(c, System.Net.WebUtility.HtmlDecode(body)) : null));

    private static Arrange PageArrangement(Func<RowContext, Task<(string Url, Func<RowContext, string, string?>? Check)>> build) => async c =>
    {
        var (url, check) = await build(c);
        return c.Row.Method == "POST" ? new Call(url, new FormUrlEncodedContent([]), PublicMatrix.RedirectsTo("/login")) : Page(url, check, c);
    };

    public static readonly IReadOnlyDictionary<string, Arrange> Arrangements = new Dictionary<string, Arrange>
    {
        [$"GET {Apps}"] = _ => System.Threading.Tasks.Task.FromResult(Get(Apps)),
        [$"GET {Search}"] = async c =>
        {
            var app = await AppAsync(c.W, c.Is(OpenApp));
            return Get($"{Search}?appId={app.AppId}", (_, body) => Lists(c, body, app.AppId, c.Is(OpenApp) ? [Owner, OtherMerchant] : [Owner]));
        },
        [$"POST {Apps}"] = c => System.Threading.Tasks.Task.FromResult(Json(Apps,
            new NewCatalogueApp("矩阵新应用", c.Is(OfficialApp) ? CatalogueKind.OfficialApp : CatalogueKind.PartnerApp))),
        [$"GET {App}"] = async c => Get($"/api/distribution/apps/{(await AppAsync(c.W, c.Is(OpenApp))).AppId}"),
        [$"POST {Open}"] = async c => Json($"/api/distribution/apps/{(await AppAsync(c.W, c.Is(OpenApp))).AppId}/open", new OpenRequest(true)),
        [$"PUT {Favorite}"] = async c => Empty($"/api/distribution/apps/{(await AppAsync(c.W, c.Is(OpenApp))).AppId}/favorite"),
        [$"DELETE {Favorite}"] = async c => Empty($"/api/distribution/apps/{(await AppAsync(c.W, c.Is(OpenApp))).AppId}/favorite"),
        [$"POST {Versions}"] = async c =>
        {
            var app = await AppAsync(c.W, c.Is(OpenApp));
            return new Call($"/api/distribution/apps/{app.AppId}/versions?versionName=9.9&versionCode=2000000",
                new ByteArrayContent("bundle"u8.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });
        },
        [$"GET {Picker}"] = async c =>
        {
            var app = await AppAsync(c.W, open: true);
            var sn = await c.DeviceAsync(GrantPermissions.AppDistribution);
            return Get($"{Picker}?action=Install&appId={app.AppId}&sn={sn}", (_, body) => Lists(c, body, sn, Owner, GranteeWithPermission));
        },
        [$"POST {Tasks}"] = async c =>
        {
            var app = await AppAsync(c.W, open: true);
            var sn = await c.DeviceAsync(GrantPermissions.AppDistribution);
            return Json(Tasks, new CreateTaskRequest(new NewDistributionTask(null, DistributionAction.Install, [new TaskItemRequest(app.AppId)], new DeviceSelection([sn]))));
        },
        [$"GET {Tasks}"] = async c =>
        {
            var task = await TaskAsync(c.W, start: false, name: "矩阵任务" + Guid.NewGuid().ToString("N")[..6]);
            return Get($"{Tasks}?pageSize=200", (_, body) => Lists(c, body, task.Name, Owner, Operator));
        },
        [$"GET {Task}"] = async c => Get($"{Tasks}/{(await TaskAsync(c.W, start: false)).Id}"),
        [$"POST {Start}"] = async c => Empty($"{Tasks}/{(await TaskAsync(c.W, start: false)).Id}/start"),
        [$"POST {Pause}"] = async c => Empty($"{Tasks}/{(await TaskAsync(c.W, start: true)).Id}/pause"),
        [$"POST {Resume}"] = async c =>
        {
            var task = await TaskAsync(c.W, start: true);
            (await c.W.Owner.Client.PostAsync($"{Tasks}/{task.Id}/pause", null)).EnsureSuccessStatusCode();
            return Empty($"{Tasks}/{task.Id}/resume");
        },
        [$"POST {Cancel}"] = async c => Empty($"{Tasks}/{(await TaskAsync(c.W, start: false)).Id}/cancel"),
        [$"POST {Retry}"] = async c => Empty($"{Tasks}/{(await TaskAsync(c.W, start: true)).Id}/retry"),
        [$"GET {Targets}"] = async c => Get($"{Tasks}/{(await TaskAsync(c.W, start: false)).Id}/targets"),
        [$"GET {Steps}"] = async c =>
        {
            var task = await TaskAsync(c.W, start: false);
            var target = (await c.W.Owner.Client.GetAsync<List<TargetRow>>($"{Tasks}/{task.Id}/targets"))[0];
            return Get($"{Tasks}/{task.Id}/targets/{target.Id}/steps");
        },
        [$"GET {Export}"] = async c => Get($"{Tasks}/{(await TaskAsync(c.W, start: false)).Id}/export?format=Csv"),
        [$"GET {Troubleshoot}"] = async c =>
        {
            var app = await AppAsync(c.W, open: true);
            return Get($"{Troubleshoot}?sn={await c.DeviceAsync(GrantPermissions.AppDistribution)}&appId={app.AppId}");
        },
        [$"GET {Download}"] = async c =>
        {
            if (!c.Is(LiveJob) && !c.Is(LiveJobRange) && !c.Is(EndedJob))
            {
                return Get($"/api/distribution/downloads/{new string('a', 64)}{(c.Is(ForgedToken) ? "?token=CfDJ8forged" : "")}");
            }
            // A job as the worker hands it to an online device: the target sent, its address signed for this attempt.
            var task = await TaskAsync(c.W, start: true);
            var target = (await c.W.Owner.Client.GetAsync<List<TargetRow>>($"{Tasks}/{task.Id}/targets"))[0];
            await using var db = await ((IDbContextFactory<Touchpoint.Server.Infrastructure.TouchpointDb>)c.W.F.Services.GetService(typeof(IDbContextFactory<Touchpoint.Server.Infrastructure.TouchpointDb>))!).CreateDbContextAsync();
            var sha = await (from t in db.DistributionTargets
                             join i in db.DistributionTaskItems on t.ItemId equals (long?)i.Id
                             join v in db.AppVersions on i.AppVersionId equals (long?)v.Id
                             where t.Id == target.Id
                             select v.ArtifactSha256).SingleAsync();
            var state = c.Is(EndedJob) ? TargetState.Failed : TargetState.Sent;
            await db.DistributionTargets.Where(t => t.Id == target.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.State, state).SetProperty(t => t.Attempt, 1));
            var url = new Uri(((DownloadTokens)c.W.F.Services.GetService(typeof(DownloadTokens))!).Url(target.Id, 1, sha)).PathAndQuery;
            var call = Get(url, (response, body) => c.Is(LiveJobRange) && response.Content.Headers.ContentRange?.From != 2 ? "no content range from byte 2" : null);
            if (c.Is(LiveJobRange))
            {
                var client = c.W.F.CreateClient();
                client.DefaultRequestHeaders.Range = new RangeHeaderValue(2, null);
                return call with { Client = client };
            }
            return call;
        },
        ["GET /distribution/apps"] = PageArrangement(_ => System.Threading.Tasks.Task.FromResult<(string, Func<RowContext, string, string?>?)>(("/distribution/apps", null))),
        ["POST /distribution/apps"] = PageArrangement(_ => System.Threading.Tasks.Task.FromResult<(string, Func<RowContext, string, string?>?)>(("/distribution/apps", null))),
        ["GET /distribution/apps/{AppId}"] = AppPage(),
        ["POST /distribution/apps/{AppId}"] = AppPage(),
        ["GET /distribution/tasks"] = PageArrangement(_ => System.Threading.Tasks.Task.FromResult<(string, Func<RowContext, string, string?>?)>(("/distribution/tasks", null))),
        ["POST /distribution/tasks"] = PageArrangement(_ => System.Threading.Tasks.Task.FromResult<(string, Func<RowContext, string, string?>?)>(("/distribution/tasks", null))),
        ["GET /distribution/tasks/new"] = PageArrangement(_ => System.Threading.Tasks.Task.FromResult<(string, Func<RowContext, string, string?>?)>(("/distribution/tasks/new", null))),
        ["POST /distribution/tasks/new"] = PageArrangement(_ => System.Threading.Tasks.Task.FromResult<(string, Func<RowContext, string, string?>?)>(("/distribution/tasks/new", null))),
        ["GET /distribution/tasks/{Id:long}"] = TaskPage(),
        ["POST /distribution/tasks/{Id:long}"] = TaskPage(),
        ["GET /tools/distribution"] = PageArrangement(_ => System.Threading.Tasks.Task.FromResult<(string, Func<RowContext, string, string?>?)>(("/tools/distribution", null))),
        ["POST /tools/distribution"] = PageArrangement(_ => System.Threading.Tasks.Task.FromResult<(string, Func<RowContext, string, string?>?)>(("/tools/distribution", null))),
    };

    private static Arrange AppPage() => PageArrangement(async c =>
    {
        var name = "矩阵页面应用" + Guid.NewGuid().ToString("N")[..6];
        var app = await AppAsync(c.W, open: false, name);
        return ($"/distribution/apps/{app.AppId}", (ctx, html) => Lists(ctx, html, name, Owner));
    });

    private static Arrange TaskPage() => PageArrangement(async c =>
    {
        var name = "矩阵页面任务" + Guid.NewGuid().ToString("N")[..6];
        var task = await TaskAsync(c.W, start: false, name);
        return ($"/distribution/tasks/{task.Id}", (ctx, html) => Lists(ctx, html, name, Owner, Operator));
    });
}
