using Evergreen.ConfigStore.Audit;
using Evergreen.ConfigStore.Extensions;
using Evergreen.ConfigStore.Proposals;
using Evergreen.ConfigStore.Revisions;
using Evergreen.ConfigStore.Webhooks;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPostgresDatabase(typeof(Program).Assembly);
builder.AddRedis();
builder.AddPluginRepository();
builder.AddRevisions();
builder.AddRevisionStatus();
builder.AddWorkingTreeWatch();
builder.AddAudit();
builder.AddProposals();

var app = builder.Build();

app.UseResponseCompression();
app.MapDefaultEndpoints();
app.MapRevisionsApi();
app.MapRevisionStatusApi();
app.MapGitWebhookApi();
app.MapAuditApi();
app.MapProposalsApi();

app.Run();
