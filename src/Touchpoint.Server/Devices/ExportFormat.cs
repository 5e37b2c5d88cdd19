namespace Touchpoint.Server.Devices;

public enum ExportFormat
{
    Xlsx,
    Csv,
}
