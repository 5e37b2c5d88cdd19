using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Server.Infrastructure.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 512,
                nullable: false,
                defaultValue: "");

            // Existing devices keep their 主要应用版本: backfill the summary from the apps table (Device.SummarizeApps order).
            migrationBuilder.Sql("""
                UPDATE "Devices" SET "AppsSummary" = substr(coalesce((
                    SELECT group_concat(s, '；') FROM (
                        SELECT a."AppName" || ' ' || a."Version" AS s FROM "DeviceApps" a WHERE a."DeviceId" = "Devices"."Id" ORDER BY a."AppName")), ''), 1, 512);
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
