using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Server.Infrastructure.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "BootStart",
                table: "DeviceApps",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "VersionCode",
                table: "DeviceApps",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CatalogueApps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AppId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    OwnerId = table.Column<long>(type: "INTEGER", nullable: false),
                    PackageName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    CertificateSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    IsOpen = table.Column<bool>(type: "INTEGER", nullable: false),
                    ManufacturerId = table.Column<long>(type: "INTEGER", nullable: true),
                    Model = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Description = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CreatedById = table.Column<long>(type: "INTEGER", nullable: false),
                    OnBehalfOfId = table.Column<long>(type: "INTEGER", nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Remark = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    StatusReason = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CompletedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    OpenWave = table.Column<int>(type: "INTEGER", nullable: false),
                    WaveCount = table.Column<int>(type: "INTEGER", nullable: false),
                    DeviceCount = table.Column<int>(type: "INTEGER", nullable: false),
                    AcceptedFailures = table.Column<int>(type: "INTEGER", nullable: false),
                    AcceptedAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false),
                    Policy = table.Column<string>(type: "TEXT", nullable: false)
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
                    AccountId = table.Column<long>(type: "INTEGER", nullable: false),
                    CatalogueAppId = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CatalogueAppId = table.Column<long>(type: "INTEGER", nullable: false),
                    VersionCode = table.Column<long>(type: "INTEGER", nullable: false),
                    VersionName = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MinSdk = table.Column<int>(type: "INTEGER", nullable: true),
                    TargetSdk = table.Column<int>(type: "INTEGER", nullable: true),
                    OsVersion = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ArtifactSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    CertificateSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    SignatureScheme = table.Column<string>(type: "TEXT", maxLength: 4, nullable: true),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ReleaseNotes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CreatedById = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TaskId = table.Column<long>(type: "INTEGER", nullable: false),
                    ItemId = table.Column<long>(type: "INTEGER", nullable: true),
                    ItemOrder = table.Column<int>(type: "INTEGER", nullable: false),
                    DeviceId = table.Column<long>(type: "INTEGER", nullable: false),
                    Sn = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Wave = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    Progress = table.Column<int>(type: "INTEGER", nullable: false),
                    SkipReason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    FailureReason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Message = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    WaitingFor = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    FromVersion = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ReportedVersion = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DispatchedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    InstalledAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    InstalledBootAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CompletedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CommandId = table.Column<long>(type: "INTEGER", nullable: true)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TaskId = table.Column<long>(type: "INTEGER", nullable: false),
                    Order = table.Column<int>(type: "INTEGER", nullable: false),
                    CatalogueAppId = table.Column<long>(type: "INTEGER", nullable: false),
                    AppVersionId = table.Column<long>(type: "INTEGER", nullable: true)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TargetId = table.Column<long>(type: "INTEGER", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: true),
                    FailureReason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
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
