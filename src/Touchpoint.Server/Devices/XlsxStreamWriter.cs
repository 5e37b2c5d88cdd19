using System.IO.Compression;
using System.Security;
using System.Text;

namespace Touchpoint.Server.Devices;

/// <summary>
/// A minimal SpreadsheetML (.xlsx) writer for one sheet of text cells. Inline strings (no shared-string
/// table) let rows be written as they arrive; the zip is built in a small buffer that is drained to the
/// response after every batch, so memory stays flat however many rows there are.
/// </summary>
internal static class XlsxStreamWriter
{
    public static async Task WriteAsync(Stream output, string sheetName, string[] headers, IAsyncEnumerable<string[]> rows, CancellationToken ct)
    {
        var buffer = new DrainableBuffer();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            WriteEntry(zip, "[Content_Types].xml", ContentTypes);
            WriteEntry(zip, "_rels/.rels", RootRels);
            WriteEntry(zip, "xl/workbook.xml", Workbook(sheetName));
            WriteEntry(zip, "xl/_rels/workbook.xml.rels", WorkbookRels);
            WriteEntry(zip, "xl/styles.xml", Styles);
            await buffer.DrainToAsync(output, ct);

            var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest);
            using (var writer = new StreamWriter(sheet.Open(), new UTF8Encoding(false), 64 * 1024))
            {
                writer.Write("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>""");
                var rowNumber = 1;
                WriteRow(writer, rowNumber++, headers, style: 1);
                await foreach (var row in rows.WithCancellation(ct))
                {
                    WriteRow(writer, rowNumber++, row, style: 0);
                    if (rowNumber % DeviceExporter.BatchSize == 0)
                    {
                        writer.Flush();
                        await buffer.DrainToAsync(output, ct);
                    }
                }
                writer.Write("</sheetData></worksheet>");
            }
        }
        await buffer.DrainToAsync(output, ct);
        await output.FlushAsync(ct);
    }

    private static void WriteRow(StreamWriter writer, int number, string[] cells, int style)
    {
        writer.Write("<row r=\"");
        writer.Write(number);
        writer.Write("\">");
        foreach (var cell in cells)
        {
            writer.Write(style == 0 ? "<c t=\"inlineStr\"><is><t>" : "<c t=\"inlineStr\" s=\"1\"><is><t>");
            writer.Write(SecurityElement.Escape(StripInvalidXml(cell)));
            writer.Write("</t></is></c>");
        }
        writer.Write("</row>");
    }

    private static string StripInvalidXml(string value) =>
        value.Any(c => c < 0x20 && c is not ('\t' or '\n' or '\r')) ? new string(value.Where(c => c >= 0x20 || c is '\t' or '\n' or '\r').ToArray()) : value;

    private static void WriteEntry(ZipArchive zip, string name, string content)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        var bytes = Encoding.UTF8.GetBytes(content);
        stream.Write(bytes);
    }

    private const string ContentTypes = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>""";

    private const string RootRels = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""";

    private const string WorkbookRels = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>""";

    private const string Styles = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>""";

    private static string Workbook(string sheetName) =>
        $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{SecurityElement.Escape(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>""";

    /// <summary>
    /// Write-only, non-seekable stream that keeps what the zip writer produced until it is drained.
    /// ZipArchive writes synchronously; draining asynchronously keeps Kestrel's no-sync-IO rule.
    /// </summary>
    private sealed class DrainableBuffer : Stream
    {
        private readonly MemoryStream _pending = new();
        private long _written;

        public async Task DrainToAsync(Stream output, CancellationToken ct)
        {
            if (_pending.Length == 0) return;
            _pending.Position = 0;
            await _pending.CopyToAsync(output, ct);
            _pending.SetLength(0);
        }

        public override void Write(byte[] buffer, int offset, int count) { _pending.Write(buffer, offset, count); _written += count; }
        public override void Write(ReadOnlySpan<byte> buffer) { _pending.Write(buffer); _written += buffer.Length; }
        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
