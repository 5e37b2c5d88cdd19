using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Touchpoint.Server.Demo;

namespace Touchpoint.Server.Tests.Infrastructure;

/// <summary>Helpers to drive the HTTP API as a given account, and to read ProblemDetails messages.</summary>
public static class ApiClient
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    public const string DemoPassword = "Touchpoint#2026";

    /// <summary>Any host of the app: a test factory or a second node made from one (WithWebHostBuilder).</summary>
    public static async Task<HttpClient> LoginAsync(this Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory, string login,
        string password = DemoPassword)
    {
        var client = factory.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = factory.ClientOptions.BaseAddress });
        var response = await client.PostAsJsonAsync("/api/auth/login", new { loginName = login, password });
        Assert.True(response.IsSuccessStatusCode, $"login {login}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        // What the console's own scripts send; cookie-authenticated writes without it are refused (CSRF guard).
        client.DefaultRequestHeaders.Add("X-Requested-With", "XMLHttpRequest");
        return client;
    }

    public static Task<HttpClient> OperatorAsync(this TouchpointFactory f) => f.LoginAsync(DemoAccounts.Operator);

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public static async Task<T> GetAsync<T>(this HttpClient client, string url) => await (await client.GetAsync(url)).ReadAsync<T>();

    public static async Task<T> PutAsync<T>(this HttpClient client, string url, object body) =>
        await (await client.PutAsJsonAsync(url, body, Json)).ReadAsync<T>();

    public static async Task<T> PostAsync<T>(this HttpClient client, string url, object body) =>
        await (await client.PostAsJsonAsync(url, body, Json)).ReadAsync<T>();

    /// <summary>Asserts the status and returns the Chinese message (ProblemDetails.detail).</summary>
    public static async Task<string> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("detail").GetString()!;
    }
}
