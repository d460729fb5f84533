using Evergreen.AgentRuntime.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddRedis();
builder.AddAgentRuntime();

// The agent loop and model providers register here: builder.AddAgentRunner(); (AgentRuntime/Agents, not yet on this branch).
var app = builder.Build();

app.MapAgentRuntimeApi();
app.MapDefaultEndpoints();

app.Run();
