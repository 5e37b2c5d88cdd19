using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Touchpoint.Server.Tests.Infrastructure;

/// <summary>The server as its own OS process (the built Touchpoint.Server.dll), for tests that must kill it for real.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    public string BaseUrl { get; }

    private ServerProcess(Process process, string baseUrl) => (_process, BaseUrl) = (process, baseUrl);

    public static async Task<ServerProcess> StartAsync(string folder, IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePorts.Next();
        var baseUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Touchpoint.Server.dll"), "--urls", baseUrl])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // Never the default 1883 on all interfaces: a broker on the machine (Debian's mosquitto starts one) would make
        // the server fail to start. A test that needs the port passes its own.
        start.Environment["DeviceChannel__Port"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["DeviceChannel__BindAddress"] = "127.0.0.1";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__")] = value;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync($"{baseUrl}/healthz")).StatusCode == HttpStatusCode.OK)
                {
                    return new ServerProcess(process, baseUrl);
                }
            }
            catch (HttpRequestException)
            {
            }
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var exit = process.HasExited ? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "running";
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true); // never leave a half-started server behind the failed test
                }
                throw new InvalidOperationException($"Server did not start (exit: {exit}).");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>SIGKILL: no graceful shutdown, no flushing.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async Task<HttpClient> LoginAsync(string login, string password = ApiClient.DemoPassword)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(BaseUrl) };
        var response = await client.PostAsync("/api/auth/login", System.Net.Http.Json.JsonContent.Create(new { loginName = login, password }));
        response.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Add("X-Requested-With", "XMLHttpRequest");
        return client;
    }


    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
