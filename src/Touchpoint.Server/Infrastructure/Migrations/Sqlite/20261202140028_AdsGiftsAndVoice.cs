using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Server.Infrastructure.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Gifts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OwnerId = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedById = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Priority = table.Column<int>(type: "INTEGER", nullable: false),
                    CouponAmountCents = table.Column<long>(type: "INTEGER", nullable: false),
                    CouponThresholdCents = table.Column<long>(type: "INTEGER", nullable: false),
                    CouponValidDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Stock = table.Column<int>(type: "INTEGER", nullable: true),
                    Issued = table.Column<int>(type: "INTEGER", nullable: false),
                    MiniAppId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    MiniAppPage = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    MinAmountCents = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstPaymentOnly = table.Column<bool>(type: "INTEGER", nullable: false),
                    StartsLocal = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EndsLocal = table.Column<DateTime>(type: "TEXT", nullable: true),
                    TimesPerMember = table.Column<int>(type: "INTEGER", nullable: true),
                    Period = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    ScopeRegion = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    ScopeModel = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    SpaceCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ModifiedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StoppedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OwnerId = table.Column<long>(type: "INTEGER", nullable: false),
                    OnBehalfOfId = table.Column<long>(type: "INTEGER", nullable: true),
                    PosterId = table.Column<long>(type: "INTEGER", nullable: false),
                    PlanName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Event = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DeviceType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    WindowStart = table.Column<DateTime>(type: "TEXT", nullable: false),
                    WindowEnd = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ModifiedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OwnerId = table.Column<long>(type: "INTEGER", nullable: false),
                    OnBehalfOfId = table.Column<long>(type: "INTEGER", nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DeletedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DeviceId = table.Column<long>(type: "INTEGER", nullable: false),
                    AudioId = table.Column<long>(type: "INTEGER", nullable: true),
                    TradeRef = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PlayedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReportedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                    GiftId = table.Column<long>(type: "INTEGER", nullable: false),
                    DeviceId = table.Column<long>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    GiftId = table.Column<long>(type: "INTEGER", nullable: false),
                    TradeId = table.Column<long>(type: "INTEGER", nullable: false),
                    DeviceId = table.Column<long>(type: "INTEGER", nullable: false),
                    MemberId = table.Column<long>(type: "INTEGER", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ClaimedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClaimedLocal = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CouponNo = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MemberId = table.Column<long>(type: "INTEGER", nullable: false),
                    GiftId = table.Column<long>(type: "INTEGER", nullable: false),
                    OwnerId = table.Column<long>(type: "INTEGER", nullable: false),
                    ImpressionId = table.Column<long>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    AmountCents = table.Column<long>(type: "INTEGER", nullable: false),
                    ThresholdCents = table.Column<long>(type: "INTEGER", nullable: false),
                    IssuedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ValidUntilUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DeviceId = table.Column<long>(type: "INTEGER", nullable: false),
                    AudioId = table.Column<long>(type: "INTEGER", nullable: false),
                    PlayType = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    StartLocal = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EndLocal = table.Column<DateTime>(type: "TEXT", nullable: true),
                    IntervalSeconds = table.Column<int>(type: "INTEGER", nullable: true),
                    SentById = table.Column<long>(type: "INTEGER", nullable: false),
                    SentAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RemovedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
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
