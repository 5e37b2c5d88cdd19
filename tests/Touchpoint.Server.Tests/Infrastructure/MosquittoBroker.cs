using System.Diagnostics;
using System.Net.Sockets;

namespace Touchpoint.Server.Tests.Infrastructure;

/// <summary>
/// A real mosquitto 2 (Debian's package; the test command installs it) on a loopback port, with the dynamic security
/// plugin and one administrator account, as an operator would set it up for Touchpoint (docs/device-protocol.md).
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    public const string Plugin = "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so";
    private readonly Process _process;
    private readonly string _folder = Directory.CreateTempSubdirectory("touchpoint-mosquitto-").FullName;

    public int Port { get; } = FreePorts.Next();
    public string AdminUser => "touchpoint";
    public string AdminPassword { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

    public MosquittoBroker()
    {
        if (!File.Exists("/usr/sbin/mosquitto") || !File.Exists(Plugin))
        {
            throw new InvalidOperationException("mosquitto is not installed: run ./test.sh (it installs it) or apt-get install mosquitto");
        }
        var dynsec = Path.Combine(_folder, "dynamic-security.json");
        Run("/usr/bin/mosquitto_ctrl", "dynsec", "init", dynsec, AdminUser, AdminPassword);
        var config = Path.Combine(_folder, "mosquitto.conf");
        File.WriteAllText(config, $"""
            listener {Port} 127.0.0.1
            allow_anonymous false
            plugin {Plugin}
            plugin_opt_config_file {dynsec}
            persistence false
            # Started as root (CI), mosquitto would switch to the mosquitto user, who cannot read this private folder.
            # Not root, this line does nothing.
            user root
            log_dest file {Path.Combine(_folder, "mosquitto.log")}
            """);
        _process = Process.Start(new ProcessStartInfo("/usr/sbin/mosquitto", ["-c", config])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                Thread.Sleep(50);
            }
        }
    }

    /// <summary>What mosquitto logged (refused connects, kicked clients), for assertions and failure messages.</summary>
    public string Log => File.Exists(Path.Combine(_folder, "mosquitto.log")) ? File.ReadAllText(Path.Combine(_folder, "mosquitto.log")) : "";

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true })!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {output}");
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
