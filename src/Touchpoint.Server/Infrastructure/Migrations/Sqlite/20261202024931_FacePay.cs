using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Server.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FacePay : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "FacePayEnabled",
                table: "Members",
                type: "INTEGER",
                nullable: false,
                defaultValue: true); // members from before face pay have it on, as Alipay members do

            migrationBuilder.AddColumn<int>(
                name: "FaceStatus",
                table: "Members",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "LookAlike",
                table: "Members",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "Members",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "CameraDirty",
                table: "Devices",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "DeviceBroadcasts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DeviceId = table.Column<long>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TradeId = table.Column<long>(type: "INTEGER", nullable: true),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeviceBroadcasts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DeviceBroadcasts_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FaceDailyTotals",
                columns: table => new
                {
                    MemberId = table.Column<long>(type: "INTEGER", nullable: false),
                    Day = table.Column<int>(type: "INTEGER", nullable: false),
                    Cents = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FaceDailyTotals", x => new { x.MemberId, x.Day });
                    table.ForeignKey(
                        name: "FK_FaceDailyTotals_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FaceSessions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ZimId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DeviceId = table.Column<long>(type: "INTEGER", nullable: false),
                    DeviceSn = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SellerId = table.Column<long>(type: "INTEGER", nullable: false),
                    AppId = table.Column<long>(type: "INTEGER", nullable: true),
                    AmountCents = table.Column<long>(type: "INTEGER", nullable: true),
                    OutTradeNo = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    NotifyUrl = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    MemberId = table.Column<long>(type: "INTEGER", nullable: true),
                    VerifyLevel = table.Column<int>(type: "INTEGER", nullable: false),
                    VerifyFailures = table.Column<int>(type: "INTEGER", nullable: false),
                    FtokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    FtokenUsedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    TradeId = table.Column<long>(type: "INTEGER", nullable: true),
                    ErrorCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ErrorMessage = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FaceSessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FaceSessions_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FundingSources",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MemberId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    BalanceCents = table.Column<long>(type: "INTEGER", nullable: false),
                    Priority = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FundingSources", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FundingSources_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PaymentCodes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CodeHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MemberId = table.Column<long>(type: "INTEGER", nullable: false),
                    IssuedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UsedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaymentCodes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PaymentCodes_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Trades",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TradeNo = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OutTradeNo = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SellerId = table.Column<long>(type: "INTEGER", nullable: false),
                    AppId = table.Column<long>(type: "INTEGER", nullable: true),
                    DeviceId = table.Column<long>(type: "INTEGER", nullable: true),
                    DeviceSn = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    MemberId = table.Column<long>(type: "INTEGER", nullable: true),
                    Scene = table.Column<int>(type: "INTEGER", nullable: false),
                    ProductCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    StoreId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    TotalCents = table.Column<long>(type: "INTEGER", nullable: false),
                    RefundedCents = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    FundKind = table.Column<int>(type: "INTEGER", nullable: true),
                    FundSourceId = table.Column<long>(type: "INTEGER", nullable: true),
                    NotifyUrl = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    RequestDigest = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FaceDay = table.Column<int>(type: "INTEGER", nullable: true),
                    FaceSessionId = table.Column<long>(type: "INTEGER", nullable: true),
                    QrToken = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PaidAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClosedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PayBeforeUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Trades", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Trades_Accounts_SellerId",
                        column: x => x.SellerId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Trades_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Trades_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "FaceCaptures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SessionId = table.Column<long>(type: "INTEGER", nullable: false),
                    DeviceId = table.Column<long>(type: "INTEGER", nullable: false),
                    SellerId = table.Column<long>(type: "INTEGER", nullable: true),
                    MemberId = table.Column<long>(type: "INTEGER", nullable: true),
                    Conditions = table.Column<int>(type: "INTEGER", nullable: false),
                    Captured = table.Column<bool>(type: "INTEGER", nullable: false),
                    ZCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    VerifyLevel = table.Column<int>(type: "INTEGER", nullable: false),
                    Escalation = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    VerifyPassed = table.Column<bool>(type: "INTEGER", nullable: true),
                    Result = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FaceCaptures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FaceCaptures_FaceSessions_SessionId",
                        column: x => x.SessionId,
                        principalTable: "FaceSessions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TradeRefunds",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TradeId = table.Column<long>(type: "INTEGER", nullable: false),
                    OutRequestNo = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AmountCents = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    AppId = table.Column<long>(type: "INTEGER", nullable: true),
                    AccountId = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TradeRefunds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TradeRefunds_Trades_TradeId",
                        column: x => x.TradeId,
                        principalTable: "Trades",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Members_Mobile",
                table: "Members",
                column: "Mobile",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DeviceBroadcasts_DeviceId_AtUtc",
                table: "DeviceBroadcasts",
                columns: new[] { "DeviceId", "AtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_DeviceBroadcasts_TradeId",
                table: "DeviceBroadcasts",
                column: "TradeId");

            migrationBuilder.CreateIndex(
                name: "IX_FaceCaptures_AtUtc",
                table: "FaceCaptures",
                column: "AtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_FaceCaptures_DeviceId_AtUtc",
                table: "FaceCaptures",
                columns: new[] { "DeviceId", "AtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_FaceCaptures_MemberId_AtUtc",
                table: "FaceCaptures",
                columns: new[] { "MemberId", "AtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_FaceCaptures_SessionId",
                table: "FaceCaptures",
                column: "SessionId");

            migrationBuilder.CreateIndex(
                name: "IX_FaceSessions_DeviceId_Status",
                table: "FaceSessions",
                columns: new[] { "DeviceId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_FaceSessions_FtokenHash",
                table: "FaceSessions",
                column: "FtokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_FaceSessions_ZimId",
                table: "FaceSessions",
                column: "ZimId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_FundingSources_MemberId_Priority",
                table: "FundingSources",
                columns: new[] { "MemberId", "Priority" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PaymentCodes_CodeHash",
                table: "PaymentCodes",
                column: "CodeHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PaymentCodes_ExpiresAtUtc",
                table: "PaymentCodes",
                column: "ExpiresAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_PaymentCodes_MemberId",
                table: "PaymentCodes",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_TradeRefunds_TradeId_OutRequestNo",
                table: "TradeRefunds",
                columns: new[] { "TradeId", "OutRequestNo" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Trades_DeviceId_CreatedAtUtc",
                table: "Trades",
                columns: new[] { "DeviceId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Trades_MemberId_CreatedAtUtc",
                table: "Trades",
                columns: new[] { "MemberId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Trades_QrToken",
                table: "Trades",
                column: "QrToken",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Trades_SellerId_CreatedAtUtc",
                table: "Trades",
                columns: new[] { "SellerId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Trades_SellerId_OutTradeNo",
                table: "Trades",
                columns: new[] { "SellerId", "OutTradeNo" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Trades_TradeNo",
                table: "Trades",
                column: "TradeNo",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeviceBroadcasts");

            migrationBuilder.DropTable(
                name: "FaceCaptures");

            migrationBuilder.DropTable(
                name: "FaceDailyTotals");

            migrationBuilder.DropTable(
                name: "FundingSources");

            migrationBuilder.DropTable(
                name: "PaymentCodes");

            migrationBuilder.DropTable(
                name: "TradeRefunds");

            migrationBuilder.DropTable(
                name: "FaceSessions");

            migrationBuilder.DropTable(
                name: "Trades");

            migrationBuilder.DropIndex(
                name: "IX_Members_Mobile",
                table: "Members");

            migrationBuilder.DropColumn(
                name: "FacePayEnabled",
                table: "Members");

            migrationBuilder.DropColumn(
                name: "FaceStatus",
                table: "Members");

            migrationBuilder.DropColumn(
                name: "LookAlike",
                table: "Members");

            migrationBuilder.DropColumn(
                name: "Revision",
                table: "Members");

            migrationBuilder.DropColumn(
                name: "CameraDirty",
                table: "Devices");
        }
    }
}
