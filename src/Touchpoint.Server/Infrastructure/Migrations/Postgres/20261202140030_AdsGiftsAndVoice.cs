using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Touchpoint.Server.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AdsGiftsAndVoice : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AdId",
                table: "DevicePosters",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Gifts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OwnerId = table.Column<long>(type: "bigint", nullable: false),
                    CreatedById = table.Column<long>(type: "bigint", nullable: false),
                    CreatedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Source = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Priority = table.Column<int>(type: "integer", nullable: false),
                    CouponAmountCents = table.Column<long>(type: "bigint", nullable: false),
                    CouponThresholdCents = table.Column<long>(type: "bigint", nullable: false),
                    CouponValidDays = table.Column<int>(type: "integer", nullable: false),
                    Stock = table.Column<int>(type: "integer", nullable: true),
                    Issued = table.Column<int>(type: "integer", nullable: false),
                    MiniAppId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    MiniAppPage = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    MinAmountCents = table.Column<long>(type: "bigint", nullable: false),
                    FirstPaymentOnly = table.Column<bool>(type: "boolean", nullable: false),
                    StartsLocal = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EndsLocal = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    TimesPerMember = table.Column<int>(type: "integer", nullable: true),
                    Period = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Scope = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    ScopeRegion = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    ScopeModel = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    SpaceCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ModifiedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StoppedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Gifts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Gifts_Accounts_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PosterAds",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OwnerId = table.Column<long>(type: "bigint", nullable: false),
                    OnBehalfOfId = table.Column<long>(type: "bigint", nullable: true),
                    PosterId = table.Column<long>(type: "bigint", nullable: false),
                    PlanName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Event = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DeviceType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    WindowStart = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    WindowEnd = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ModifiedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PosterAds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PosterAds_Accounts_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PosterAds_Posters_PosterId",
                        column: x => x.PosterId,
                        principalTable: "Posters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "VoiceAudios",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OwnerId = table.Column<long>(type: "bigint", nullable: false),
                    OnBehalfOfId = table.Column<long>(type: "bigint", nullable: true),
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
                name: "GiftDevices",
                columns: table => new
                {
                    GiftId = table.Column<long>(type: "bigint", nullable: false),
                    DeviceId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GiftDevices", x => new { x.GiftId, x.DeviceId });
                    table.ForeignKey(
                        name: "FK_GiftDevices_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_GiftDevices_Gifts_GiftId",
                        column: x => x.GiftId,
                        principalTable: "Gifts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "GiftImpressions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    GiftId = table.Column<long>(type: "bigint", nullable: false),
                    TradeId = table.Column<long>(type: "bigint", nullable: false),
                    DeviceId = table.Column<long>(type: "bigint", nullable: false),
                    MemberId = table.Column<long>(type: "bigint", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ClaimedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ClaimedLocal = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GiftImpressions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GiftImpressions_Gifts_GiftId",
                        column: x => x.GiftId,
                        principalTable: "Gifts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MemberCoupons",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CouponNo = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    MemberId = table.Column<long>(type: "bigint", nullable: false),
                    GiftId = table.Column<long>(type: "bigint", nullable: false),
                    OwnerId = table.Column<long>(type: "bigint", nullable: false),
                    ImpressionId = table.Column<long>(type: "bigint", nullable: false),
                    Title = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    AmountCents = table.Column<long>(type: "bigint", nullable: false),
                    ThresholdCents = table.Column<long>(type: "bigint", nullable: false),
                    IssuedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ValidUntilUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MemberCoupons", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MemberCoupons_Gifts_GiftId",
                        column: x => x.GiftId,
                        principalTable: "Gifts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MemberCoupons_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
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
                name: "IX_DevicePosters_AdId",
                table: "DevicePosters",
                column: "AdId");

            migrationBuilder.CreateIndex(
                name: "IX_DeviceVoices_AudioId",
                table: "DeviceVoices",
                column: "AudioId");

            migrationBuilder.CreateIndex(
                name: "IX_DeviceVoices_DeviceId_RemovedAtUtc",
                table: "DeviceVoices",
                columns: new[] { "DeviceId", "RemovedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_GiftDevices_DeviceId",
                table: "GiftDevices",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_GiftImpressions_DeviceId_Id",
                table: "GiftImpressions",
                columns: new[] { "DeviceId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_GiftImpressions_GiftId_ClaimedAtUtc",
                table: "GiftImpressions",
                columns: new[] { "GiftId", "ClaimedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_GiftImpressions_MemberId_GiftId",
                table: "GiftImpressions",
                columns: new[] { "MemberId", "GiftId" });

            migrationBuilder.CreateIndex(
                name: "IX_Gifts_OwnerId_StoppedAtUtc",
                table: "Gifts",
                columns: new[] { "OwnerId", "StoppedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_MemberCoupons_CouponNo",
                table: "MemberCoupons",
                column: "CouponNo",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MemberCoupons_GiftId",
                table: "MemberCoupons",
                column: "GiftId");

            migrationBuilder.CreateIndex(
                name: "IX_MemberCoupons_ImpressionId",
                table: "MemberCoupons",
                column: "ImpressionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MemberCoupons_MemberId_IssuedAtUtc",
                table: "MemberCoupons",
                columns: new[] { "MemberId", "IssuedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PosterAds_OwnerId_Id",
                table: "PosterAds",
                columns: new[] { "OwnerId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_PosterAds_PosterId",
                table: "PosterAds",
                column: "PosterId");

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
                name: "GiftDevices");

            migrationBuilder.DropTable(
                name: "GiftImpressions");

            migrationBuilder.DropTable(
                name: "MemberCoupons");

            migrationBuilder.DropTable(
                name: "PosterAds");

            migrationBuilder.DropTable(
                name: "VoicePlays");

            migrationBuilder.DropTable(
                name: "VoiceAudios");

            migrationBuilder.DropTable(
                name: "Gifts");

            migrationBuilder.DropIndex(
                name: "IX_DevicePosters_AdId",
                table: "DevicePosters");

            migrationBuilder.DropColumn(
                name: "AdId",
                table: "DevicePosters");
        }
    }
}
