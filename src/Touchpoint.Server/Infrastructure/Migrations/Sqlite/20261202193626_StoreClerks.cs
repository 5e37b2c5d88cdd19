using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Server.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StoreClerks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ClerkId",
                table: "DevicePosters",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "StoreClerks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MerchantId = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 11, nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Disabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    CredentialStamp = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastSignInAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StoreClerks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StoreClerks_Accounts_MerchantId",
                        column: x => x.MerchantId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DevicePosters_ClerkId",
                table: "DevicePosters",
                column: "ClerkId");

            migrationBuilder.CreateIndex(
                name: "IX_StoreClerks_MerchantId",
                table: "StoreClerks",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_StoreClerks_Phone",
                table: "StoreClerks",
                column: "Phone",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "StoreClerks");

            migrationBuilder.DropIndex(
                name: "IX_DevicePosters_ClerkId",
                table: "DevicePosters");

            migrationBuilder.DropColumn(
                name: "ClerkId",
                table: "DevicePosters");
        }
    }
}
