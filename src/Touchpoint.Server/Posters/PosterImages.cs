using SkiaSharp;
using Touchpoint.Core.Common;

namespace Touchpoint.Server.Posters;

/// <summary>An upload that passed the checks: its real type and size, and a thumbnail.</summary>
public sealed record CheckedImage(string ContentType, int Width, int Height, byte[] Thumbnail);

/// <summary>
/// Poster images are checked by their bytes, not their names: the signature must be PNG, JPEG or WebP, and SkiaSharp
/// (a maintained decoder) must read the whole image at a size a terminal can show. The thumbnail is a JPEG 240 px wide.
/// </summary>
public static class PosterImages
{
    public const long MaxBytes = 10 * 1024 * 1024;
    public const int MinSide = 200;
    public const int MaxSide = 4096;
    public const int ThumbnailWidth = 240;

    /// <summary>Reads an upload into memory, refusing it in Chinese as soon as it passes <see cref="MaxBytes"/>.</summary>
    public static async Task<MemoryStream> ReadBoundedAsync(Stream body, CancellationToken ct)
    {
        var copy = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (copy.Length + read > MaxBytes)
            {
                throw TouchpointException.Invalid($"海报图片不能超过 {MaxBytes / 1024 / 1024} MB");
            }
            copy.Write(chunk, 0, read);
        }
        copy.Position = 0;
        return copy;
    }

    /// <summary>The type the first bytes say, or null when they are none of PNG, JPEG, WebP.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 8 && head[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        {
            return "image/jpeg";
        }
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }
        return null;
    }

    public static CheckedImage Check(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            throw TouchpointException.Invalid("请上传海报图片");
        }
        if (bytes.Length > MaxBytes)
        {
            throw TouchpointException.Invalid($"海报图片不能超过 {MaxBytes / 1024 / 1024} MB");
        }
        var type = Sniff(bytes) ?? throw TouchpointException.Invalid("海报只支持 PNG、JPEG 或 WebP 图片（按文件内容识别，不看扩展名）");
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data) ?? throw TouchpointException.Invalid("图片已损坏，无法读取，请重新导出后上传");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width < MinSide || height < MinSide || width > MaxSide || height > MaxSide)
        {
            throw TouchpointException.Invalid($"海报尺寸为 {width}×{height}，宽和高须在 {MinSide}–{MaxSide} 像素之间");
        }
        // Decoding every pixel is the check that the file is whole (a truncated JPEG has a valid header).
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success))
        {
            throw TouchpointException.Invalid("图片不完整或已损坏，无法读取，请重新导出后上传");
        }
        var thumbHeight = Math.Max(1, (int)Math.Round(height * (double)ThumbnailWidth / width));
        using var thumb = bitmap.Resize(new SKImageInfo(ThumbnailWidth, thumbHeight, SKColorType.Rgba8888, SKAlphaType.Premul),
            new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        using var image = SKImage.FromBitmap(thumb);
        using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 80);
        return new CheckedImage(type, width, height, jpeg.ToArray());
    }
}
