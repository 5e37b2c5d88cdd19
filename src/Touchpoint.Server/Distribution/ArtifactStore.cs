using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Touchpoint.Core.Common;

namespace Touchpoint.Server.Distribution;

/// <summary>A file that has been streamed into the store's staging area and hashed, not yet named by its hash.</summary>
public sealed class StagedArtifact(string path, string sha256, long size) : IAsyncDisposable
{
    public string Path { get; } = path;
    public string Sha256 { get; } = sha256;
    public long Size { get; } = size;
    internal bool Committed { get; set; }

    public FileStream OpenRead() => new(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);

    public ValueTask DisposeAsync()
    {
        if (!Committed)
        {
            try { File.Delete(Path); } catch (IOException) { }
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Content-addressed artifact files: <c>{root}/sha256/ab/abcdef…</c>. An upload streams to a staging file while it is
/// hashed (never buffered), then is moved under its hash; the same content uploaded twice is stored once.
/// </summary>
public sealed class ArtifactStore(IOptions<DistributionOptions> options)
{
    private string Root => Path.GetFullPath(options.Value.ArtifactPath);

    public async Task<StagedArtifact> StageAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        var staging = Path.Combine(Root, "staging");
        Directory.CreateDirectory(staging);
        var path = Path.Combine(staging, Guid.NewGuid().ToString("N"));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        var buffer = new byte[81920];
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
        {
            try
            {
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        throw TouchpointException.Invalid($"文件超过 {maxBytes / 1024 / 1024} MB 上限");
                    }
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            catch
            {
                await file.DisposeAsync();
                File.Delete(path);
                throw;
            }
        }
        return new StagedArtifact(path, Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    /// <summary>Moves a staged file under its hash (keeping an existing copy: same hash, same bytes).</summary>
    public void Commit(StagedArtifact staged)
    {
        var target = PathOf(staged.Sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            File.Delete(staged.Path);
        }
        else
        {
            try
            {
                File.Move(staged.Path, target);
            }
            catch (IOException) when (File.Exists(target))
            {
                File.Delete(staged.Path); // another node stored the same content meanwhile
            }
        }
        staged.Committed = true;
    }

    public string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("not a SHA-256", nameof(sha256));
        }
        var lower = sha256.ToLowerInvariant();
        return Path.Combine(Root, "sha256", lower[..2], lower);
    }

    public bool Exists(string sha256) => File.Exists(PathOf(sha256));
}
