// Adds a migration for every storage provider, the way `dotnet ef migrations add` would, without the dotnet-ef
// tool: EF's own design-time services scaffold the code and update each provider's model snapshot.
// Usage: dotnet run --project tools/Touchpoint.MigrationTool -- <MigrationName>
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;
using Touchpoint.Server.Infrastructure;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Touchpoint.MigrationTool <MigrationName>");
    return 2;
}
var name = args[0];
var serverDir = Path.GetFullPath(Path.Combine(FindRepoRoot(), "src", "Touchpoint.Server"));

Scaffold(new SqliteTouchpointDb(new DbContextOptionsBuilder<SqliteTouchpointDb>().UseSqlite("Data Source=:memory:").Options), "Sqlite");
Scaffold(new PostgresTouchpointDb(new DbContextOptionsBuilder<PostgresTouchpointDb>().UseNpgsql("Host=localhost").Options), "Postgres");
return 0;

void Scaffold(TouchpointDb db, string provider)
{
    var reporter = new OperationReporter(new OperationReportHandler(
        e => Console.Error.WriteLine(e), w => Console.WriteLine(w), i => Console.WriteLine(i), v => { }));
    var assembly = typeof(TouchpointDb).Assembly;
    var services = new DesignTimeServicesBuilder(assembly, assembly, reporter, []).Build(db);
    var scaffolder = services.GetRequiredService<IMigrationsScaffolder>();
    var migration = scaffolder.ScaffoldMigration(name, "Touchpoint.Server", $"Infrastructure.Migrations.{provider}", "C#");
    var files = scaffolder.Save(serverDir, migration, Path.Combine(serverDir, "Infrastructure", "Migrations", provider));
    Console.WriteLine($"{provider}: {files.MigrationFile}");
}

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Touchpoint.slnx")))
    {
        dir = dir.Parent;
    }
    return dir?.FullName ?? throw new InvalidOperationException("Run inside the Touchpoint repository.");
}
