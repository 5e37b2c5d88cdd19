using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Touchpoint.Server.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OneLiveApplicationPerField : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_FieldApplications_OneLivePerField",
                table: "FieldApplications",
                columns: new[] { "AppId", "ApiName", "FieldName" },
                unique: true,
                filter: "\"Status\" IN ('Audit', 'Agree')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_FieldApplications_OneLivePerField",
                table: "FieldApplications");
        }
    }
}
