using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Server.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DeviceAppsSummary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AppsSummary",
                table: "Devices",
                type: "character varying(512)",
                maxLength: 512,
                nullable: false,
                defaultValue: "");

            // Existing devices keep their 主要应用版本: backfill the summary from the apps table (Device.SummarizeApps order).
            migrationBuilder.Sql("""
                UPDATE "Devices" d SET "AppsSummary" = left(coalesce((
                    SELECT string_agg(a."AppName" || ' ' || a."Version", '；' ORDER BY a."AppName" COLLATE "C")
                    FROM "DeviceApps" a WHERE a."DeviceId" = d."Id"), ''), 512);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AppsSummary",
                table: "Devices");
        }
    }
}
