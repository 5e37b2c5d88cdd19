using Touchpoint.Server.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddTouchpoint();

var app = builder.Build();
app.UseTouchpoint();
app.Run();

/// <summary>Exposed for WebApplicationFactory in the integration tests.</summary>
public partial class Program;
