// The benchmark's stand-in for a runtime replica: answers /health/ready and /v1/** with a short text body naming itself.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var name = builder.Configuration["name"] ?? "backend";

var app = builder.Build();
app.MapGet("/health/ready", () => "ready");
app.Map("/v1/{**rest}", () => name);
app.Run();
