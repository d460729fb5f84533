using System.Net;
using System.Net.Http.Json;
using Evergreen.AgentRuntime.Tests.Support;
using Evergreen.Testing;

namespace Evergreen.AgentRuntime.Tests.Registry;

public sealed class ReconciliationTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task RedisRestart_RevisionPublishedWhileItWasDown_IsActivatedOnReconnect()
    {
        // The runtime has a Redis of its own that ConfigStore never publishes to, and its timer is an hour:
        // only the reconnect can make it look again.
        await using var runtimeRedis = new RedisServerFixture();
        await runtimeRedis.InitializeAsync();
        await using var scenario = await RuntimeScenario.StartAsync(postgres, redis, Plugins.Review(), runtimeRedis: runtimeRedis.ConnectionString);
        var runtime = scenario.Runtime;
        await Eventually.Until(
            async () => (await runtime.Client.GetAsync("/health/ready", TestContext.Current.CancellationToken)).IsSuccessStatusCode,
            TimeSpan.FromSeconds(20), "the runtime is ready (Redis connected)", TestContext.Current.CancellationToken);

        await runtimeRedis.StopAsync(TestContext.Current.CancellationToken);
        var b = await scenario.PublishAsync("second", ("review/agents/reviewer.md", PluginGitRepository.Agent("reviewer", "Version B.")));
        var stillOld = await runtime.ActiveRevisionAsync();
        await runtimeRedis.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(scenario.First, stillOld);
        await runtime.WaitForActiveAsync(b, "the runtime reconciled when Redis came back");
    }

    [Fact]
    public async Task ConfigStore_MarksTheActiveRevisionRolledBack_RuntimeReturnsToThePreviousOne()
    {
        // The timer is an hour: only ConfigStore's status-change event can move the runtime.
        await using var scenario = await RuntimeScenario.StartAsync(postgres, redis, Plugins.Review());
        var b = await scenario.PublishAsync("second", ("review/agents/reviewer.md", PluginGitRepository.Agent("reviewer", "Version B.")));
        await scenario.Runtime.WaitForActiveAsync(b, "the runtime activated B");

        using var rollBack = await scenario.ConfigStore.Client.PutAsJsonAsync(
            $"/api/revisions/{b}/status", new { status = "rolled-back", reason = "bad answers" }, TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, rollBack.StatusCode);
        await scenario.Runtime.WaitForActiveAsync(scenario.First, "the runtime went back to the latest valid revision");
    }

    [Fact]
    public async Task Timer_WithoutAnyEvent_ActivatesTheLatestWithinOnePeriod()
    {
        await using var runtimeRedis = new RedisServerFixture();
        await runtimeRedis.InitializeAsync();
        await using var scenario = await RuntimeScenario.StartAsync(
            postgres, redis, Plugins.Review(), new Dictionary<string, string?> { ["AgentRuntime:Registry:ReconcileInterval"] = "1" }, runtimeRedis.ConnectionString);

        var b = await scenario.PublishAsync("second", ("review/agents/reviewer.md", PluginGitRepository.Agent("reviewer", "Version B.")));

        await scenario.Runtime.WaitForActiveAsync(b, "the timer reconciled");
    }

    [Fact]
    public async Task Start_ConfigStoreHasNoRevision_NotReadyUntilTheFirstSnapshotIsLoaded()
    {
        await using var database = await postgres.CreateDatabaseAsync("runtime_empty", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        await using var configStore = ConfigStoreServer.Start(database.ConnectionString, redis.ConnectionString, repository);
        await using var runtime = RuntimeHost.Start(configStore.Address, redis.ConnectionString);

        using var notReady = await runtime.Client.GetAsync("/health/ready", TestContext.Current.CancellationToken).DefaultTimeout();
        using var noCatalog = await runtime.Client.GetAsync("/v1/plugins", TestContext.Current.CancellationToken).DefaultTimeout();
        var first = await repository.CommitAndPushAsync("first", Plugins.Review());
        await configStore.SyncAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("no plugin revision loaded yet", await notReady.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, noCatalog.StatusCode);
        await runtime.WaitForActiveAsync(first, "the runtime loaded the first revision");
        await Eventually.Until(
            async () => (await runtime.Client.GetAsync("/health/ready", TestContext.Current.CancellationToken)).IsSuccessStatusCode,
            TimeSpan.FromSeconds(20), "readiness turns 200", TestContext.Current.CancellationToken);
    }
}
