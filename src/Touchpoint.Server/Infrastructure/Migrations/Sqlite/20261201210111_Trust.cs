using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Server.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Trust : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AppAuthorizations_MerchantAppId_ThirdPartyAppId",
                table: "AppAuthorizations");

            migrationBuilder.DropIndex(
                name: "IX_AppAuthorizations_Token",
                table: "AppAuthorizations");

            migrationBuilder.AddColumn<DateTime>(
                name: "ClaimedUntilUtc",
                table: "NotificationDeliveries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TokenHash",
                table: "AppAuthorizations",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ThrottleCounters",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    WindowStartMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    BlockedUntilMs = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ThrottleCounters", x => x.Key);
                });

            // Earlier versions checked before writing, so a race may have left two open commands of one kind, or two
            // active authorizations of one pair. Keep the newest, end the others (nothing is deleted).
            migrationBuilder.Sql("UPDATE \"DeviceCommands\" SET \"Status\" = 'Expired', \"CompletedAtUtc\" = \"CreatedAtUtc\" WHERE \"Status\" IN ('Pending', 'Sent', 'Acknowledged') AND \"Id\" NOT IN (SELECT MAX(\"Id\") FROM \"DeviceCommands\" WHERE \"Status\" IN ('Pending', 'Sent', 'Acknowledged') GROUP BY \"DeviceId\", \"Kind\")");
            migrationBuilder.Sql("UPDATE \"AppAuthorizations\" SET \"RevokedAtUtc\" = \"CreatedAtUtc\" WHERE \"RevokedAtUtc\" IS NULL AND \"Id\" NOT IN (SELECT MAX(\"Id\") FROM \"AppAuthorizations\" WHERE \"RevokedAtUtc\" IS NULL GROUP BY \"MerchantAppId\", \"ThirdPartyAppId\")");

            migrationBuilder.CreateIndex(
                name: "IX_DeviceCommands_OneOpenPerKind",
                table: "DeviceCommands",
                columns: new[] { "DeviceId", "Kind" },
                unique: true,
                filter: "\"Status\" IN ('Pending', 'Sent', 'Acknowledged')");

            migrationBuilder.CreateIndex(
                name: "IX_AppAuthorizations_OneActivePerPair",
                table: "AppAuthorizations",
                columns: new[] { "MerchantAppId", "ThirdPartyAppId" },
                unique: true,
                filter: "\"RevokedAtUtc\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_AppAuthorizations_TokenHash",
                table: "AppAuthorizations",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ThrottleCounters_WindowStartMs",
                table: "ThrottleCounters",
                column: "WindowStartMs");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropTable(
                name: "ThrottleCounters");

            migrationBuilder.DropIndex(
                name: "IX_DeviceCommands_OneOpenPerKind",
                table: "DeviceCommands");

            migrationBuilder.DropIndex(
                name: "IX_AppAuthorizations_OneActivePerPair",
                table: "AppAuthorizations");

            migrationBuilder.DropIndex(
                name: "IX_AppAuthorizations_TokenHash",
                table: "AppAuthorizations");

            migrationBuilder.DropColumn(
                name: "ClaimedUntilUtc",
                table: "NotificationDeliveries");

            migrationBuilder.DropColumn(
                name: "TokenHash",
                table: "AppAuthorizations");

            migrationBuilder.CreateIndex(
                name: "IX_AppAuthorizations_MerchantAppId_ThirdPartyAppId",
                table: "AppAuthorizations",
                columns: new[] { "MerchantAppId", "ThirdPartyAppId" });

            migrationBuilder.CreateIndex(
                name: "IX_AppAuthorizations_Token",
                table: "AppAuthorizations",
                column: "Token",
                unique: true);
        }
    }
}
