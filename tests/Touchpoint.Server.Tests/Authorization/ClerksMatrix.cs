using System.Net.Http.Headers;
using Touchpoint.Server.Posters;
using Touchpoint.Server.Tests.Infrastructure;
using static Touchpoint.Server.Tests.Authorization.Rel;
using static Touchpoint.Server.Tests.Authorization.RowContext;

namespace Touchpoint.Server.Tests.Authorization;

/// <summary>
/// 店员账号: a merchant makes and changes its own clerks, and no one else's; providers, the operator and manufacturers have
/// none. A clerk is no console account: it signs in at /api/clerk-sessions and its session (the X-Clerk-Session header)
/// opens the phone page for its merchant's devices only, while they are out of admin mode, until it is reset or disabled.
/// </summary>
public static class ClerksMatrix
{
    private const string List = "/api/clerks/";
    private const string One = "/api/clerks/{id:long}";
    /// <summary>The owner's clerks are named so, the other merchant's otherwise: a list that shows this name to another merchant leaks.</summary>
    private const string OwnersClerk = "矩阵店员甲";
    private const string Sessions = "/api/clerk-sessions";
    private const string Page = "/api/clerk/{sn}/";
    private const string Post = "/api/clerk/{sn}/posters";
    private const string Password = "Clerk#2026";

    private const string WithSession = "a session of the owner's clerk, no code";
    private const string OthersClerk = "a session of another merchant's clerk";
    private const string Reset = "a session from before a password reset";
    private const string AdminOn = "a session, the device in admin mode";
    private const string WrongPassword = "a wrong password";
    private const string Disabled = "a disabled clerk";

    public static readonly IReadOnlyList<Row> Rows =
    [
        //  method  pattern    relation                  status  case
        new("GET",  List,      Owner,                    200),
        new("GET",  List,      OtherMerchant,            200),  // its own, not the owner's
        new("GET",  List,      GranteeWithPermission,    403),
        new("GET",  List,      Operator,                 403),
        new("GET",  List,      Manufacturer,             403),
        new("GET",  List,      Anonymous,                401),
        new("POST", List,      Owner,                    200),
        new("POST", List,      Rel.ServiceProvider,      403),
        new("POST", List,      Operator,                 403),
        new("POST", List,      Manufacturer,             403),
        new("POST", List,      Anonymous,                401),
        new("PUT",  One,       Owner,                    200),
        new("PUT",  One,       OtherMerchant,            404),
        new("PUT",  One,       GranteeWithPermission,    403),
        new("PUT",  One,       Operator,                 403),
        new("PUT",  One,       Anonymous,                401),
        new("DELETE", One,     Owner,                    204),
        new("DELETE", One,     OtherMerchant,            404),
        new("DELETE", One,     GranteeWithPermission,    403),
        new("DELETE", One,     Operator,                 403),
        new("DELETE", One,     Anonymous,                401),
        new("POST", Sessions,  Anonymous,                200),
        new("POST", Sessions,  Anonymous,                400,    WrongPassword),
        new("POST", Sessions,  Anonymous,                403,    Disabled),
        new("GET",  Page,      Anonymous,                200,    WithSession),
        new("GET",  Page,      Anonymous,                404,    OthersClerk),
        new("GET",  Page,      Anonymous,                403,    Reset),
        new("POST", Post,      Anonymous,                200,    WithSession),
        new("POST", Post,      Anonymous,                404,    OthersClerk),
        new("POST", Post,      Anonymous,                403,    Reset),
        new("POST", Post,      Anonymous,                403,    AdminOn),
        new("GET",  "/operations/clerks", Owner,                 200),
        new("GET",  "/operations/clerks", GranteeWithPermission, 200),  // says clerks are the merchant's, lists none
        new("GET",  "/operations/clerks", Operator,              200),
        new("GET",  "/operations/clerks", Anonymous,             302),
        new("POST", "/operations/clerks", Owner,                 400),
        new("POST", "/operations/clerks", Anonymous,             302),
    ];

    public static readonly IReadOnlyDictionary<string, Arrange> Arrangements = new Dictionary<string, Arrange>
    {
        [$"GET {List}"] = c => Task.FromResult(Get("/api/clerks", (_, body) =>
            c.Rel == OtherMerchant && body.Contains(OwnersClerk, StringComparison.Ordinal) ? "another merchant's clerks are listed" : null)),
        [$"POST {List}"] = c => Task.FromResult(Json("/api/clerks", new ClerkEdit(c.Rel == Owner ? OwnersClerk : "矩阵店员乙", NewMobile(), Password))),
        [$"PUT {One}"] = async c => Json($"/api/clerks/{(await NewClerkAsync(c.W.Owner)).Id}", new ClerkChange(Name: OwnersClerk + "（改）")),
        [$"DELETE {One}"] = async c => Empty($"/api/clerks/{(await NewClerkAsync(c.W.Owner)).Id}"),
        [$"POST {Sessions}"] = async c =>
        {
            var clerk = await NewClerkAsync(c.W.Owner);
            if (c.Is(Disabled))
            {
                await c.W.Owner.Client.PutAsync<ClerkAccountView>($"/api/clerks/{clerk.Id}", new ClerkChange(Disabled: true));
            }
            return Json(Sessions, new ClerkSignIn(clerk.Phone, c.Is(WrongPassword) ? "not-the-password" : Password));
        },
        ["GET /operations/clerks"] = _ => Task.FromResult(Get("/operations/clerks", PublicMatrix.RedirectsTo("/login"))),
        ["POST /operations/clerks"] = _ => Task.FromResult(new Call("/operations/clerks", new FormUrlEncodedContent([]), PublicMatrix.RedirectsTo("/login"))),
    };

    /// <summary>
    /// The phone page's rows signed in as a clerk. Its endpoints' arrangement is <see cref="PostersMatrix"/>'s (one per
    /// endpoint), which hands these cases here.
    /// </summary>
    public static bool IsSessionCase(RowContext c) => c.Is(WithSession) || c.Is(OthersClerk) || c.Is(Reset) || c.Is(AdminOn);

    public static async Task<Call> PageAsync(RowContext c)
    {
        var (sn, client) = await SessionAsync(c);
        return Get($"/api/clerk/{sn}") with { Client = client };
    }

    public static async Task<Call> PlaceAsync(RowContext c)
    {
        var (sn, client) = await SessionAsync(c);
        if (c.Is(AdminOn))
        {
            await c.W.Owner.AdminModeAsync(sn, true);
        }
        var form = new MultipartFormDataContent { { new StringContent("店员账号海报"), "name" } };
        var file = new ByteArrayContent(TestImages.Png(256));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", "poster.png");
        return new Call($"/api/clerk/{sn}/posters", form) { Client = client };
    }

    /// <summary>A fresh device of the owner and a client signed in as a clerk of the owner (or of the other merchant).</summary>
    private static async Task<(string Sn, HttpClient Client)> SessionAsync(RowContext c)
    {
        var sn = await c.W.OwnedDeviceAsync();
        var clerk = c.Is(OthersClerk) ? await NewClerkAsync(c.W.Other, owners: false) : await NewClerkAsync(c.W.Owner);
        var session = await c.W.AnonymousClient.PostAsync<ClerkSession>(Sessions, new ClerkSignIn(clerk.Phone, Password));
        if (c.Is(Reset))
        {
            await c.W.Owner.Client.PutAsync<ClerkAccountView>($"/api/clerks/{clerk.Id}", new ClerkChange(Password: "Clerk#2027"));
        }
        var client = c.W.F.Anonymous();
        client.DefaultRequestHeaders.Add("X-Clerk-Session", session.Token);
        return (sn, client);
    }

    private static Task<ClerkAccountView> NewClerkAsync(TestAccount merchant, bool owners = true) =>
        merchant.Client.PostAsync<ClerkAccountView>("/api/clerks", new ClerkEdit(owners ? OwnersClerk : "矩阵店员乙", NewMobile(), Password));

    private static string NewMobile() => "138" + Random.Shared.NextInt64(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
}
