using QRCoder;

namespace Touchpoint.Server.Posters;

/// <summary>QR codes as PNG data URIs (QRCoder), for pages that show what a device's screen shows.</summary>
public static class QrImages
{
    public static string DataUri(string text, int pixelsPerModule = 6)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(pixelsPerModule);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
