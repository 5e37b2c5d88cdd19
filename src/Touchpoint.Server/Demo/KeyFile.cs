namespace Touchpoint.Server.Demo;

/// <summary>Demo files that hold private keys: readable and writable by the server's user only.</summary>
internal static class KeyFile
{
    public static async Task WriteAsync(string path, string text, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text, ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
