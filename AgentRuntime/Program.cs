using Evergreen.AgentRuntime.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRedis();
builder.AddAgentRuntime();
builder.AddAgentRunner();

var app = builder.Build();

app.MapAgentRuntimeApi();
app.MapDefaultEndpoints();

app.Run();
