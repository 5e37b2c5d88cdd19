using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Touchpoint.Server.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class VoiceMessages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "VoiceAudios",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OwnerId = table.Column<long>(type: "bigint", nullable: false),
                    Text = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DeletedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VoiceAudios", x => x.Id);
                    table.ForeignKey(
                        name: "FK_VoiceAudios_Accounts_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "VoicePlays",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DeviceId = table.Column<long>(type: "bigint", nullable: false),
                    AudioId = table.Column<long>(type: "bigint", nullable: true),
                    TradeRef = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Text = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PlayedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReportedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VoicePlays", x => x.Id);
                    table.ForeignKey(
                        name: "FK_VoicePlays_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DeviceVoices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DeviceId = table.Column<long>(type: "bigint", nullable: false),
                    AudioId = table.Column<long>(type: "bigint", nullable: false),
                    PlayType = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    StartLocal = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EndLocal = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    IntervalSeconds = table.Column<int>(type: "integer", nullable: true),
                    SentById = table.Column<long>(type: "bigint", nullable: false),
                    SentAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RemovedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeviceVoices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DeviceVoices_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DeviceVoices_VoiceAudios_AudioId",
                        column: x => x.AudioId,
                        principalTable: "VoiceAudios",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DeviceVoices_AudioId",
                table: "DeviceVoices",
                column: "AudioId");

            migrationBuilder.CreateIndex(
                name: "IX_DeviceVoices_DeviceId_RemovedAtUtc",
                table: "DeviceVoices",
                columns: new[] { "DeviceId", "RemovedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_VoiceAudios_OwnerId_Id",
                table: "VoiceAudios",
                columns: new[] { "OwnerId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_VoicePlays_DeviceId_Id",
                table: "VoicePlays",
                columns: new[] { "DeviceId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_VoicePlays_DeviceId_TradeRef",
                table: "VoicePlays",
                columns: new[] { "DeviceId", "TradeRef" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeviceVoices");

            migrationBuilder.DropTable(
                name: "VoicePlays");

            migrationBuilder.DropTable(
                name: "VoiceAudios");
        }
    }
}
