using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Touchpoint.Server.Infrastructure.Migrations.Postgres
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

            migrationBuilder.AlterColumn<string>(
                name: "PrivateKeyPem",
                table: "PlatformKeys",
                type: "character varying(8000)",
                maxLength: 8000,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(4000)",
                oldMaxLength: 4000);

            migrationBuilder.AddColumn<DateTime>(
                name: "ClaimedUntilUtc",
                table: "NotificationDeliveries",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "AesKey",
                table: "DeveloperApps",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(64)",
                oldMaxLength: 64,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Token",
                table: "AppAuthorizations",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(64)",
                oldMaxLength: 64);

            migrationBuilder.AddColumn<string>(
                name: "TokenHash",
                table: "AppAuthorizations",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ThrottleCounters",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    WindowStartMs = table.Column<long>(type: "bigint", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false),
                    BlockedUntilMs = table.Column<long>(type: "bigint", nullable: false)
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

            migrationBuilder.AlterColumn<string>(
                name: "PrivateKeyPem",
                table: "PlatformKeys",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(8000)",
                oldMaxLength: 8000);

            migrationBuilder.AlterColumn<string>(
                name: "AesKey",
                table: "DeveloperApps",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(400)",
                oldMaxLength: 400,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Token",
                table: "AppAuthorizations",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(400)",
                oldMaxLength: 400);

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
