using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Server.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Announcements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AnnouncementEnabled",
                table: "Devices",
                type: "boolean",
                nullable: false,
                defaultValue: true); // existing terminals keep announcing, as they did

            migrationBuilder.AddColumn<int>(
                name: "AnnouncementVolume",
                table: "Devices",
                type: "integer",
                nullable: false,
                defaultValue: 70);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AnnouncementEnabled",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "AnnouncementVolume",
                table: "Devices");
        }
    }
}
