using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Server.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TradeSignAtSend : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "SignAtSend",
                table: "NotificationDeliveries",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SignAtSend",
                table: "NotificationDeliveries");
        }
    }
}
