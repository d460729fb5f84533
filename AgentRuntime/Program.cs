var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRedis();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
