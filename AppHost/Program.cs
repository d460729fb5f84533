using Evergreen.AppHost.Hosting;
using Evergreen.AppHost.Hosting.Git;
using Evergreen.AppHost.Hosting.Postgres;
using Evergreen.AppHost.Hosting.Projects;
using Evergreen.AppHost.Hosting.Redis;
using Evergreen.AppHost.Hosting.Resources;

// The Evergreen app model. Ports and folders are the defaults of DESIGN.md §4a; every one can be overridden
// (--Ports:<resource>=N, --AppHost:DataFolder=…, --AppHost:RandomPorts=true).
var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres", port: 5433);
var configStoreDatabase = postgres.AddDatabase("configstore-db", databaseName: "configstore");
var orchestratorDatabase = postgres.AddDatabase("orchestrator-db", databaseName: "orchestrator");
var redis = builder.AddRedis("redis", port: 6380);
// Runtimes present it to ConfigStore when they submit an agent's proposal; people use the admin token instead.
var runtimeToken = builder.AddSecretParameter("runtime-token");
var plugins = builder.AddGitRepository("plugins", folderName: "plugins.git", seedFolder: "samples/plugins", branch: "main");

var configStore = builder.AddProject<Projects.ConfigStore>("configstore", port: 5100)
    .WithReference(configStoreDatabase, connectionName: "postgres")
    .WithReference(redis)
    .WithEnvironment("ConfigStore__Repository__Url", () => plugins.Resource.RepositoryPath)
    .WithEnvironment("ConfigStore__Repository__Branch", plugins.Resource.Branch)
    .WithEnvironment("Evergreen__RuntimeToken", runtimeToken)
    .WaitFor(postgres)
    .WaitFor(redis)
    .WaitFor(plugins)
    .WithHttpHealthCheck("/health/ready");

var agentRuntime = builder.AddProject<Projects.AgentRuntime>("agentruntime", port: 5301)
    .WithReplicas("blue", "green")
    .WithReference(redis)
    .WithReference(configStore)
    .WithEnvironment("Evergreen__RuntimeToken", runtimeToken)
    .WaitFor(configStore)
    .WithHttpHealthCheck("/health/ready");

var gateway = builder.AddProject<Projects.Gateway>("gateway", port: 5000)
    .WithReference(agentRuntime)
    .WaitFor(agentRuntime)
    .WithHttpHealthCheck("/health/ready");

builder.AddProject<Projects.UpgradeOrchestrator>("upgradeorchestrator", port: 5200)
    .WithReference(orchestratorDatabase, connectionName: "postgres")
    .WithReference(gateway)
    .WithReference(configStore)
    .WithReference(agentRuntime)
    .WithControlApiReference()
    .WaitFor(postgres)
    .WaitFor(gateway)
    .WithHttpHealthCheck("/health/ready");

builder.Build().Run();

/// <summary>The AppHost entry point; public so tests can boot this model with the testing builder.</summary>
public partial class Program;
