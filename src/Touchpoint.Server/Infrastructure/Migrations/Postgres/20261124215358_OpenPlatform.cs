using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Touchpoint.Server.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OpenPlatform : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DeveloperApps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AppId = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    OwnerId = table.Column<long>(type: "bigint", nullable: false),
                    Name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PublicKey = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    AesKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    GatewayUrl = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Subscriptions = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    FeaturePackages = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    CategoryId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    LogoUrl = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Description = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ServicePhone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    ServiceEmail = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeveloperApps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DeveloperApps_Accounts_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PlatformKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    PrivateKeyPem = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    PublicKey = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlatformKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AppAuthorizations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MerchantAppId = table.Column<long>(type: "bigint", nullable: false),
                    ThirdPartyAppId = table.Column<long>(type: "bigint", nullable: false),
                    Token = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RevokedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AppAuthorizations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AppAuthorizations_DeveloperApps_MerchantAppId",
                        column: x => x.MerchantAppId,
                        principalTable: "DeveloperApps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AppAuthorizations_DeveloperApps_ThirdPartyAppId",
                        column: x => x.ThirdPartyAppId,
                        principalTable: "DeveloperApps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "FieldApplications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AppId = table.Column<long>(type: "bigint", nullable: false),
                    ApplicantAccountId = table.Column<long>(type: "bigint", nullable: false),
                    OnBehalfThirdPartyAppId = table.Column<long>(type: "bigint", nullable: true),
                    ApiName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    FieldName = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PackageCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SceneCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    QpsAnswer = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    CustomerAnswer = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    SubmittedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpectedByUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReviewedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ReviewerId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FieldApplications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FieldApplications_Accounts_ApplicantAccountId",
                        column: x => x.ApplicantAccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FieldApplications_DeveloperApps_AppId",
                        column: x => x.AppId,
                        principalTable: "DeveloperApps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FieldApplications_DeveloperApps_OnBehalfThirdPartyAppId",
                        column: x => x.OnBehalfThirdPartyAppId,
                        principalTable: "DeveloperApps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "NotificationDeliveries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    NotifyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AppId = table.Column<long>(type: "bigint", nullable: false),
                    MsgMethod = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Url = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    AttemptCount = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DeliveredAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationDeliveries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_NotificationDeliveries_DeveloperApps_AppId",
                        column: x => x.AppId,
                        principalTable: "DeveloperApps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "FieldApplicationMedia",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ApplicationId = table.Column<long>(type: "bigint", nullable: false),
                    Slot = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    FileName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Length = table.Column<long>(type: "bigint", nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FieldApplicationMedia", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FieldApplicationMedia_FieldApplications_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "FieldApplications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "NotificationAttempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DeliveryId = table.Column<long>(type: "bigint", nullable: false),
                    AttemptedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    HttpStatus = table.Column<int>(type: "integer", nullable: true),
                    Outcome = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    DurationMs = table.Column<int>(type: "integer", nullable: false),
                    Succeeded = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationAttempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_NotificationAttempts_NotificationDeliveries_DeliveryId",
                        column: x => x.DeliveryId,
                        principalTable: "NotificationDeliveries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AppAuthorizations_MerchantAppId_ThirdPartyAppId",
                table: "AppAuthorizations",
                columns: new[] { "MerchantAppId", "ThirdPartyAppId" });

            migrationBuilder.CreateIndex(
                name: "IX_AppAuthorizations_ThirdPartyAppId",
                table: "AppAuthorizations",
                column: "ThirdPartyAppId");

            migrationBuilder.CreateIndex(
                name: "IX_AppAuthorizations_Token",
                table: "AppAuthorizations",
                column: "Token",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DeveloperApps_AppId",
                table: "DeveloperApps",
                column: "AppId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DeveloperApps_OwnerId",
                table: "DeveloperApps",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_FieldApplicationMedia_ApplicationId",
                table: "FieldApplicationMedia",
                column: "ApplicationId");

            migrationBuilder.CreateIndex(
                name: "IX_FieldApplications_AppId_SubmittedAtUtc",
                table: "FieldApplications",
                columns: new[] { "AppId", "SubmittedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_FieldApplications_ApplicantAccountId",
                table: "FieldApplications",
                column: "ApplicantAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_FieldApplications_OnBehalfThirdPartyAppId",
                table: "FieldApplications",
                column: "OnBehalfThirdPartyAppId");

            migrationBuilder.CreateIndex(
                name: "IX_FieldApplications_Status_SubmittedAtUtc",
                table: "FieldApplications",
                columns: new[] { "Status", "SubmittedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_NotificationAttempts_DeliveryId",
                table: "NotificationAttempts",
                column: "DeliveryId");

            migrationBuilder.CreateIndex(
                name: "IX_NotificationDeliveries_AppId_CreatedAtUtc",
                table: "NotificationDeliveries",
                columns: new[] { "AppId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_NotificationDeliveries_NotifyId",
                table: "NotificationDeliveries",
                column: "NotifyId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_NotificationDeliveries_Status_NextAttemptAtUtc",
                table: "NotificationDeliveries",
                columns: new[] { "Status", "NextAttemptAtUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AppAuthorizations");

            migrationBuilder.DropTable(
                name: "FieldApplicationMedia");

            migrationBuilder.DropTable(
                name: "NotificationAttempts");

            migrationBuilder.DropTable(
                name: "PlatformKeys");

            migrationBuilder.DropTable(
                name: "FieldApplications");

            migrationBuilder.DropTable(
                name: "NotificationDeliveries");

            migrationBuilder.DropTable(
                name: "DeveloperApps");
        }
    }
}
