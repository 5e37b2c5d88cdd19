using Touchpoint.Server.Extensions;

// Settings are read once at start (a restart applies changes). Watching appsettings.json for changes watches the whole
// content root, and the SQLite database lives under it (data/): every page the database writes would wake the watcher.
var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
builder.AddTouchpoint();

var app = builder.Build();
app.UseTouchpoint();
app.Run();
