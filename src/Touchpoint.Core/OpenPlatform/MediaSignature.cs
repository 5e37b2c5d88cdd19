namespace Touchpoint.Core.OpenPlatform;

public enum MediaKind
{
    Unknown,
    Image,
    Video,
}

/// <summary>
/// What a sample file really is, from its first bytes, so that a reviewer is never shown (and the console never
/// serves) something that only claims to be a picture.
/// </summary>
public static class MediaSignature
{
    public static MediaKind Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) // PNG
            || head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) // JPEG
            || head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)
            || (head.StartsWith("RIFF"u8) && head.Length >= 12 && head[8..12].SequenceEqual("WEBP"u8))
            || head.StartsWith("BM"u8))
        {
            return MediaKind.Image;
        }
        if ((head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8)) // MP4, MOV, 3GP
            || head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]) // WebM, MKV
            || (head.StartsWith("RIFF"u8) && head.Length >= 12 && head[8..12].SequenceEqual("AVI "u8))
            || head.StartsWith("FLV"u8))
        {
            return MediaKind.Video;
        }
        return MediaKind.Unknown;
    }
}
