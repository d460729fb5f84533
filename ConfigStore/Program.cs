using Evergreen.ConfigStore.Extensions;
using Evergreen.ConfigStore.Proposals;
using Evergreen.ConfigStore.Revisions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPostgresDatabase(typeof(Program).Assembly);
builder.AddRedis();
builder.AddPluginRepository();
builder.AddRevisions();
builder.AddProposals();

var app = builder.Build();

app.UseResponseCompression();
app.MapDefaultEndpoints();
app.MapRevisionsApi();
app.MapProposalsApi();

app.Run();
