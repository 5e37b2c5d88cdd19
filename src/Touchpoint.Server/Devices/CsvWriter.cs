using System.Text;

namespace Touchpoint.Server.Devices;

/// <summary>RFC 4180 CSV in UTF-8 with a BOM, so Excel opens Chinese text correctly.</summary>
internal static class CsvWriter
{
    public static async Task WriteAsync(Stream output, string[] headers, IAsyncEnumerable<string[]> rows, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true)
        {
            NewLine = "\r\n", // RFC 4180 records end in CRLF, whatever the server's OS
        };
        await writer.WriteLineAsync(Line(headers));
        var n = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            await writer.WriteLineAsync(Line(row));
            if (++n % DeviceExporter.BatchSize == 0)
            {
                await writer.FlushAsync(ct);
            }
        }
        await writer.FlushAsync(ct);
    }

    private static string Line(string[] fields) => string.Join(',', fields.Select(Escape));

    internal static string Escape(string value)
    {
        // A cell starting with = + - @ would run as a formula in Excel; prefix it so it stays text.
        if (value.Length > 0 && "=+-@".Contains(value[0]))
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
