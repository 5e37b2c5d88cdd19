using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Core.Posters;
using Touchpoint.Server.Infrastructure;

namespace Touchpoint.Server.Posters;

/// <summary>
/// Writes one poster's placements on many devices, and the slot history's "placed" event of each, as two set-based
/// INSERT … SELECT statements per thousand devices inside the caller's transaction. EF's change tracker took three of
/// a 10,000-device placement's six seconds to add 20,000 rows nobody reads back (docs/benchmarks.md). The same SQL runs
/// on SQLite and PostgreSQL; values go as parameters (enums as their names, as the model maps them), device ids as
/// integer literals, and a null as the literal NULL so PostgreSQL never has to guess a parameter's type.
/// </summary>
internal static class PlacementBulkWriter
{
    private const int Chunk = 1000;

    /// <param name="template">What every placement shares; its <see cref="DevicePoster.DeviceId"/> is ignored.</param>
    /// <param name="detail">The slot event's detail, the same for every device.</param>
    public static async Task WriteAsync(TouchpointDb db, IReadOnlyCollection<long> deviceIds, DevicePoster template, string detail, CancellationToken ct)
    {
        foreach (var chunk in deviceIds.Chunk(Chunk))
        {
            var ids = string.Join(",", chunk.Select(id => id.ToString(CultureInfo.InvariantCulture)));
            var values = new List<object>();
            string Value(object? value)
            {
                if (value is null)
                {
                    return "NULL";
                }
                values.Add(value);
                return $"{{{values.Count - 1}}}";
            }
            var placed = new StringBuilder()
                .Append("INSERT INTO \"DevicePosters\" (\"DeviceId\", \"PosterId\", \"Kind\", \"WindowStart\", \"WindowEnd\", \"Order\", \"Path\", ")
                .Append("\"PlacedById\", \"PlacedByName\", \"ClerkPhone\", \"ClerkId\", \"CampaignId\", \"AdId\", \"PlacedAtUtc\") ")
                .Append("SELECT d.\"Id\", ").Append(Value(template.PosterId)).Append(", ").Append(Value(template.Kind.ToString())).Append(", ")
                .Append(Value(Utc(template.WindowStart))).Append(", ").Append(Value(template.WindowEnd is { } end ? Utc(end) : null)).Append(", ")
                .Append(Value(template.Order)).Append(", ").Append(Value(template.Path.ToString())).Append(", ")
                .Append(Value(template.PlacedById)).Append(", ").Append(Value(template.PlacedByName)).Append(", ")
                .Append(Value(template.ClerkPhone)).Append(", ").Append(Value(template.ClerkId)).Append(", ")
                .Append(Value(template.CampaignId)).Append(", ").Append(Value(template.AdId)).Append(", ").Append(Value(Utc(template.PlacedAtUtc)))
                .Append(" FROM \"Devices\" AS d WHERE d.\"Id\" IN (").Append(ids).Append(')')
                .ToString();
            await db.Database.ExecuteSqlRawAsync(placed, values, ct);

            values.Clear();
            // The rows just written are this poster's live placements on these devices placed at this instant: the
            // transaction holds the devices' locks, so no other placement of theirs can carry the same instant.
            var history = new StringBuilder()
                .Append("INSERT INTO \"PosterSlotEvents\" (\"DeviceId\", \"PosterId\", \"PlacementId\", \"Change\", \"Path\", \"ActorId\", \"ActorName\", \"Detail\", \"AtUtc\") ")
                .Append("SELECT p.\"DeviceId\", p.\"PosterId\", p.\"Id\", ").Append(Value(nameof(PosterSlotChange.Placed))).Append(", p.\"Path\", p.\"PlacedById\", ")
                .Append(Value(template.PlacedByName)).Append(", ").Append(Value(detail)).Append(", p.\"PlacedAtUtc\" ")
                .Append("FROM \"DevicePosters\" AS p WHERE p.\"PosterId\" = ").Append(Value(template.PosterId))
                .Append(" AND p.\"PlacedAtUtc\" = ").Append(Value(Utc(template.PlacedAtUtc)))
                .Append(" AND p.\"RemovedAtUtc\" IS NULL AND p.\"DeviceId\" IN (").Append(ids).Append(')')
                .ToString();
            await db.Database.ExecuteSqlRawAsync(history, values, ct);
        }
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
