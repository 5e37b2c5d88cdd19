using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Touchpoint.Server.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Distribution : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "TimeZone",
                table: "Devices",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "BootStart",
                table: "DeviceApps",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "VersionCode",
                table: "DeviceApps",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CatalogueApps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AppId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    OwnerId = table.Column<long>(type: "bigint", nullable: false),
                    PackageName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    CertificateSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    IsOpen = table.Column<bool>(type: "boolean", nullable: false),
                    ManufacturerId = table.Column<long>(type: "bigint", nullable: true),
                    Model = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CatalogueApps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CatalogueApps_Accounts_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DistributionTasks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Action = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CreatedById = table.Column<long>(type: "bigint", nullable: false),
                    OnBehalfOfId = table.Column<long>(type: "bigint", nullable: true),
                    Source = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Remark = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    StatusReason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CompletedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    OpenWave = table.Column<int>(type: "integer", nullable: false),
                    WaveCount = table.Column<int>(type: "integer", nullable: false),
                    DeviceCount = table.Column<int>(type: "integer", nullable: false),
                    AcceptedFailures = table.Column<int>(type: "integer", nullable: false),
                    AcceptedAttempts = table.Column<int>(type: "integer", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false),
                    Policy = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DistributionTasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DistributionTasks_Accounts_CreatedById",
                        column: x => x.CreatedById,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AppFavorites",
                columns: table => new
                {
                    AccountId = table.Column<long>(type: "bigint", nullable: false),
                    CatalogueAppId = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AppFavorites", x => new { x.AccountId, x.CatalogueAppId });
                    table.ForeignKey(
                        name: "FK_AppFavorites_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AppFavorites_CatalogueApps_CatalogueAppId",
                        column: x => x.CatalogueAppId,
                        principalTable: "CatalogueApps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AppVersions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CatalogueAppId = table.Column<long>(type: "bigint", nullable: false),
                    VersionCode = table.Column<long>(type: "bigint", nullable: false),
                    VersionName = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    MinSdk = table.Column<int>(type: "integer", nullable: true),
                    TargetSdk = table.Column<int>(type: "integer", nullable: true),
                    OsVersion = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    ArtifactSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    CertificateSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    SignatureScheme = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    FileName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    ReleaseNotes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    CreatedById = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AppVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AppVersions_CatalogueApps_CatalogueAppId",
                        column: x => x.CatalogueAppId,
                        principalTable: "CatalogueApps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DistributionTargets",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TaskId = table.Column<long>(type: "bigint", nullable: false),
                    ItemId = table.Column<long>(type: "bigint", nullable: true),
                    ItemOrder = table.Column<int>(type: "integer", nullable: false),
                    DeviceId = table.Column<long>(type: "bigint", nullable: false),
                    Sn = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Wave = table.Column<int>(type: "integer", nullable: false),
                    State = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    Progress = table.Column<int>(type: "integer", nullable: false),
                    SkipReason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    FailureReason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Message = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    WaitingFor = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    FromVersion = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    ReportedVersion = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DispatchedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    InstalledAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    InstalledBootAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CompletedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CommandId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DistributionTargets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DistributionTargets_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DistributionTargets_DistributionTasks_TaskId",
                        column: x => x.TaskId,
                        principalTable: "DistributionTasks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DistributionTaskItems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TaskId = table.Column<long>(type: "bigint", nullable: false),
                    Order = table.Column<int>(type: "integer", nullable: false),
                    CatalogueAppId = table.Column<long>(type: "bigint", nullable: false),
                    AppVersionId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DistributionTaskItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DistributionTaskItems_AppVersions_AppVersionId",
                        column: x => x.AppVersionId,
                        principalTable: "AppVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DistributionTaskItems_CatalogueApps_CatalogueAppId",
                        column: x => x.CatalogueAppId,
                        principalTable: "CatalogueApps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DistributionTaskItems_DistributionTasks_TaskId",
                        column: x => x.TaskId,
                        principalTable: "DistributionTasks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DistributionSteps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TargetId = table.Column<long>(type: "bigint", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    State = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Attempt = table.Column<int>(type: "integer", nullable: true),
                    FailureReason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Source = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Message = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DistributionSteps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DistributionSteps_DistributionTargets_TargetId",
                        column: x => x.TargetId,
                        principalTable: "DistributionTargets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DeviceApps_PackageName_DeviceId",
                table: "DeviceApps",
                columns: new[] { "PackageName", "DeviceId" });

            migrationBuilder.CreateIndex(
                name: "IX_AppFavorites_CatalogueAppId",
                table: "AppFavorites",
                column: "CatalogueAppId");

            migrationBuilder.CreateIndex(
                name: "IX_AppVersions_ArtifactSha256",
                table: "AppVersions",
                column: "ArtifactSha256");

            migrationBuilder.CreateIndex(
                name: "IX_AppVersions_CatalogueAppId_VersionCode",
                table: "AppVersions",
                columns: new[] { "CatalogueAppId", "VersionCode" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CatalogueApps_AppId",
                table: "CatalogueApps",
                column: "AppId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CatalogueApps_OwnerId_Id",
                table: "CatalogueApps",
                columns: new[] { "OwnerId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_DistributionSteps_TargetId_Id",
                table: "DistributionSteps",
                columns: new[] { "TargetId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_DistributionTargets_DeviceId_State",
                table: "DistributionTargets",
                columns: new[] { "DeviceId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_DistributionTargets_TaskId_DeviceId_ItemId",
                table: "DistributionTargets",
                columns: new[] { "TaskId", "DeviceId", "ItemId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DistributionTargets_TaskId_State_Id",
                table: "DistributionTargets",
                columns: new[] { "TaskId", "State", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_DistributionTargets_TaskId_Wave_State",
                table: "DistributionTargets",
                columns: new[] { "TaskId", "Wave", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_DistributionTaskItems_AppVersionId",
                table: "DistributionTaskItems",
                column: "AppVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_DistributionTaskItems_CatalogueAppId",
                table: "DistributionTaskItems",
                column: "CatalogueAppId");

            migrationBuilder.CreateIndex(
                name: "IX_DistributionTaskItems_TaskId",
                table: "DistributionTaskItems",
                column: "TaskId");

            migrationBuilder.CreateIndex(
                name: "IX_DistributionTasks_CreatedById_Id",
                table: "DistributionTasks",
                columns: new[] { "CreatedById", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_DistributionTasks_Status",
                table: "DistributionTasks",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AppFavorites");

            migrationBuilder.DropTable(
                name: "DistributionSteps");

            migrationBuilder.DropTable(
                name: "DistributionTaskItems");

            migrationBuilder.DropTable(
                name: "DistributionTargets");

            migrationBuilder.DropTable(
                name: "AppVersions");

            migrationBuilder.DropTable(
                name: "DistributionTasks");

            migrationBuilder.DropTable(
                name: "CatalogueApps");

            migrationBuilder.DropIndex(
                name: "IX_DeviceApps_PackageName_DeviceId",
                table: "DeviceApps");

            migrationBuilder.DropColumn(
                name: "TimeZone",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "BootStart",
                table: "DeviceApps");

            migrationBuilder.DropColumn(
                name: "VersionCode",
                table: "DeviceApps");
        }
    }
}
