using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Server.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Accounts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LoginName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Role = table.Column<int>(type: "INTEGER", nullable: false),
                    MerchantKind = table.Column<int>(type: "INTEGER", nullable: true),
                    IndustryCategory = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ContactPhone = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    PasswordHash = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    FailedLoginCount = table.Column<int>(type: "INTEGER", nullable: false),
                    LockoutEndUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Disabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Accounts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ActorId = table.Column<long>(type: "INTEGER", nullable: false),
                    Action = table.Column<int>(type: "INTEGER", nullable: false),
                    VisibleToId = table.Column<long>(type: "INTEGER", nullable: true),
                    DeviceId = table.Column<long>(type: "INTEGER", nullable: true),
                    DeviceSn = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEntries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Devices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Sn = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    Model = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ManufacturerId = table.Column<long>(type: "INTEGER", nullable: false),
                    ShipmentChannel = table.Column<int>(type: "INTEGER", nullable: false),
                    TransferType = table.Column<int>(type: "INTEGER", nullable: false),
                    OwnerId = table.Column<long>(type: "INTEGER", nullable: true),
                    OwnershipUpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    HeldBy = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    AndroidVersion = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    AntOs = table.Column<bool>(type: "INTEGER", nullable: false),
                    Capabilities = table.Column<int>(type: "INTEGER", nullable: false),
                    LastBootAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastOnlineAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastOnlineLocation = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    NetworkType = table.Column<int>(type: "INTEGER", nullable: false),
                    IsOnline = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Devices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Devices_Accounts_ManufacturerId",
                        column: x => x.ManufacturerId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Devices_Accounts_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Grants",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OwnerId = table.Column<long>(type: "INTEGER", nullable: false),
                    GranteeId = table.Column<long>(type: "INTEGER", nullable: false),
                    Permissions = table.Column<int>(type: "INTEGER", nullable: false),
                    ExpiresAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RevokedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Grants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Grants_Accounts_GranteeId",
                        column: x => x.GranteeId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Grants_Accounts_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "OnboardingEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ManufacturerId = table.Column<long>(type: "INTEGER", nullable: false),
                    TargetOwnerId = table.Column<long>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    IssuedById = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Closed = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OnboardingEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OnboardingEntries_Accounts_ManufacturerId",
                        column: x => x.ManufacturerId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_OnboardingEntries_Accounts_TargetOwnerId",
                        column: x => x.TargetOwnerId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PurchaseEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MerchantId = table.Column<long>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    IssuedById = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Closed = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PurchaseEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PurchaseEntries_Accounts_MerchantId",
                        column: x => x.MerchantId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DeviceApps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DeviceId = table.Column<long>(type: "INTEGER", nullable: false),
                    PackageName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    AppName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Version = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeviceApps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DeviceApps_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "GrantDevices",
                columns: table => new
                {
                    GrantId = table.Column<long>(type: "INTEGER", nullable: false),
                    DeviceId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GrantDevices", x => new { x.GrantId, x.DeviceId });
                    table.ForeignKey(
                        name: "FK_GrantDevices_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_GrantDevices_Grants_GrantId",
                        column: x => x.GrantId,
                        principalTable: "Grants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OnboardingItems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EntryId = table.Column<long>(type: "INTEGER", nullable: false),
                    DeviceId = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    SubmittedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DecidedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OnboardingItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OnboardingItems_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_OnboardingItems_OnboardingEntries_EntryId",
                        column: x => x.EntryId,
                        principalTable: "OnboardingEntries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PurchaseOrders",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EntryId = table.Column<long>(type: "INTEGER", nullable: false),
                    MerchantId = table.Column<long>(type: "INTEGER", nullable: false),
                    DeviceType = table.Column<int>(type: "INTEGER", nullable: false),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    ShippingNote = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ShippedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReceivedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CancelledAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PurchaseOrders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PurchaseOrders_PurchaseEntries_EntryId",
                        column: x => x.EntryId,
                        principalTable: "PurchaseEntries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PurchaseOrderDevices",
                columns: table => new
                {
                    OrderId = table.Column<long>(type: "INTEGER", nullable: false),
                    DeviceId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PurchaseOrderDevices", x => new { x.OrderId, x.DeviceId });
                    table.ForeignKey(
                        name: "FK_PurchaseOrderDevices_Devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "Devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PurchaseOrderDevices_PurchaseOrders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "PurchaseOrders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_LoginName",
                table: "Accounts",
                column: "LoginName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Role",
                table: "Accounts",
                column: "Role");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_DeviceId",
                table: "AuditEntries",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_VisibleToId_Id",
                table: "AuditEntries",
                columns: new[] { "VisibleToId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_DeviceApps_DeviceId_PackageName",
                table: "DeviceApps",
                columns: new[] { "DeviceId", "PackageName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DeviceApps_Version_DeviceId",
                table: "DeviceApps",
                columns: new[] { "Version", "DeviceId" });

            migrationBuilder.CreateIndex(
                name: "IX_Devices_ManufacturerId",
                table: "Devices",
                column: "ManufacturerId");

            migrationBuilder.CreateIndex(
                name: "IX_Devices_OwnerId_Id",
                table: "Devices",
                columns: new[] { "OwnerId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Devices_OwnerId_IsOnline_Id",
                table: "Devices",
                columns: new[] { "OwnerId", "IsOnline", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Devices_OwnerId_LastOnlineAtUtc",
                table: "Devices",
                columns: new[] { "OwnerId", "LastOnlineAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Devices_OwnerId_OwnershipUpdatedAtUtc",
                table: "Devices",
                columns: new[] { "OwnerId", "OwnershipUpdatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Devices_OwnerId_Sn",
                table: "Devices",
                columns: new[] { "OwnerId", "Sn" });

            migrationBuilder.CreateIndex(
                name: "IX_Devices_OwnerId_Type_HeldBy",
                table: "Devices",
                columns: new[] { "OwnerId", "Type", "HeldBy" });

            migrationBuilder.CreateIndex(
                name: "IX_Devices_OwnerId_Type_Id",
                table: "Devices",
                columns: new[] { "OwnerId", "Type", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Devices_Sn",
                table: "Devices",
                column: "Sn",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_GrantDevices_DeviceId",
                table: "GrantDevices",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_Grants_GranteeId_OwnerId",
                table: "Grants",
                columns: new[] { "GranteeId", "OwnerId" });

            migrationBuilder.CreateIndex(
                name: "IX_Grants_OwnerId_CreatedAtUtc",
                table: "Grants",
                columns: new[] { "OwnerId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_OnboardingEntries_ManufacturerId",
                table: "OnboardingEntries",
                column: "ManufacturerId");

            migrationBuilder.CreateIndex(
                name: "IX_OnboardingEntries_TargetOwnerId",
                table: "OnboardingEntries",
                column: "TargetOwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_OnboardingItems_DeviceId",
                table: "OnboardingItems",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_OnboardingItems_EntryId_Status",
                table: "OnboardingItems",
                columns: new[] { "EntryId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_PurchaseEntries_MerchantId",
                table: "PurchaseEntries",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_PurchaseOrderDevices_DeviceId",
                table: "PurchaseOrderDevices",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_PurchaseOrders_EntryId",
                table: "PurchaseOrders",
                column: "EntryId");

            migrationBuilder.CreateIndex(
                name: "IX_PurchaseOrders_MerchantId_CreatedAtUtc",
                table: "PurchaseOrders",
                columns: new[] { "MerchantId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PurchaseOrders_Status",
                table: "PurchaseOrders",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditEntries");

            migrationBuilder.DropTable(
                name: "DeviceApps");

            migrationBuilder.DropTable(
                name: "GrantDevices");

            migrationBuilder.DropTable(
                name: "OnboardingItems");

            migrationBuilder.DropTable(
                name: "PurchaseOrderDevices");

            migrationBuilder.DropTable(
                name: "Grants");

            migrationBuilder.DropTable(
                name: "OnboardingEntries");

            migrationBuilder.DropTable(
                name: "Devices");

            migrationBuilder.DropTable(
                name: "PurchaseOrders");

            migrationBuilder.DropTable(
                name: "PurchaseEntries");

            migrationBuilder.DropTable(
                name: "Accounts");
        }
    }
}
