using Evergreen.ConfigStore.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPostgresDatabase(typeof(Program).Assembly);
builder.AddRedis();
builder.AddPluginRepository();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
