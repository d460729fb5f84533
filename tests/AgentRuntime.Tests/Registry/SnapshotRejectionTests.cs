using System.Net.Http.Json;
using System.Text.Json;
using Evergreen.AgentRuntime.Tests.Support;
using Evergreen.Testing;

namespace Evergreen.AgentRuntime.Tests.Registry;

public sealed class SnapshotRejectionTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("CorruptBody", "checksum-mismatch")]
    [InlineData("DuplicatePlugin", "invalid")]
    public async Task Load_DamagedSnapshot_IsRejectedAndTheOldRevisionStaysActive(string tampering, string reason)
    {
        TamperingRelay? relay = null;
        await using var scenario = await RuntimeScenario.StartAsync(postgres, redis, Plugins.Review("Review version A."), route: async upstream =>
        {
            relay = await TamperingRelay.StartAsync(upstream);
            return relay.Address;
        });
        await using var _ = relay!;
        var runtime = scenario.Runtime;

        var b = await scenario.Repository.CommitAndPushAsync("second", ("review/agents/reviewer.md", PluginGitRepository.Agent("reviewer", "Review version B.")));
        relay!.Target = (b, Enum.Parse<TamperingRelay.Tampering>(tampering));
        await scenario.ConfigStore.SyncAsync();
        await Eventually.Until(
            async () => (await runtime.GetStateAsync()).GetProperty("lastFailure") is { ValueKind: JsonValueKind.Object } failure
                && failure.GetProperty("revision").GetString() == b,
            TimeSpan.FromSeconds(20), "the runtime tried B and recorded the failure", Ct);
        using var run = await runtime.RunAsync("/v1/agents/reviewer", "go").DefaultTimeout();
        var info = await runtime.Client.GetFromJsonAsync<JsonElement>("/health/info", Ct).DefaultTimeout();
        var ready = await runtime.Client.GetAsync("/health/ready", Ct).DefaultTimeout();

        Assert.Equal(scenario.First, await runtime.ActiveRevisionAsync());
        Assert.Equal($"{scenario.First}|Review version A.", (await run.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("result").GetString());
        Assert.Equal(scenario.First, info.GetProperty("revision").GetString());
        Assert.Equal(b, info.GetProperty("lastLoadFailure").GetProperty("revision").GetString());
        Assert.Equal(reason, info.GetProperty("lastLoadFailure").GetProperty("reason").GetString());
        Assert.True(ready.IsSuccessStatusCode);

        // Once ConfigStore serves B intact, the next reconciliation activates it.
        relay.Target = null;
        using var follow = await runtime.Admin.PutAsJsonAsync("/admin/revision", new { mode = "follow-latest" }, Ct).DefaultTimeout();
        Assert.Equal(b, await runtime.ActiveRevisionAsync());
    }
}
