using Evergreen.ConfigStore.Extensions;
using Evergreen.ConfigStore.Revisions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPostgresDatabase(typeof(Program).Assembly);
builder.AddRedis();
builder.AddPluginRepository();
builder.AddRevisions();

var app = builder.Build();

app.UseResponseCompression();
app.MapDefaultEndpoints();
app.MapRevisionsApi();

app.Run();
