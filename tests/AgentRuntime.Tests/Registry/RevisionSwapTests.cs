using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Evergreen.AgentRuntime.Tests.Support;
using Evergreen.Testing;

namespace Evergreen.AgentRuntime.Tests.Registry;

public sealed class RevisionSwapTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Swap_WhileARequestAndAStreamAreInFlight_TheyFinishOnTheOldRevisionAndNewRequestsSeeTheNew()
    {
        await using var scenario = await RuntimeScenario.StartAsync(postgres, redis, Plugins.Review("Review version A."));
        var runtime = scenario.Runtime;
        var a = scenario.First;
        var heldRequest = runtime.Runner.Hold("request");
        var heldStream = runtime.Runner.Hold("stream");

        var request = runtime.RunAsync("/v1/plugins/review/agents/reviewer", "hold:request");
        using var session = await runtime.Client.PostAsJsonAsync("/v1/agents/review:reviewer/stream", new { prompt = "hold:stream" }, Ct).DefaultTimeout();
        var streamUrl = (await session.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("streamUrl").GetString();
        using var stream = await runtime.Client.GetAsync(streamUrl, HttpCompletionOption.ResponseHeadersRead, Ct).DefaultTimeout();
        await heldRequest.Started.Task.DefaultTimeout();
        await heldStream.Started.Task.DefaultTimeout();

        // B changes the agent's body and a file; ConfigStore publishes it on Redis and the runtime swaps.
        var b = await scenario.PublishAsync("second", ("review/agents/reviewer.md", PluginGitRepository.Agent("reviewer", "Review version B.")), ("review/notes.txt", "notes of version B\n"));
        await runtime.WaitForActiveAsync(b, "the runtime activated B from the Redis event");
        using var after = await runtime.RunAsync("/v1/plugins/review/agents/reviewer", "go").DefaultTimeout();
        using var readAfter = await runtime.RunAsync("/v1/agents/reviewer", "read:review/notes.txt").DefaultTimeout();

        heldRequest.Release();
        heldStream.Release();
        using var before = await request.DefaultTimeout();
        using var events = new ServerSentEvents(await stream.Content.ReadAsStreamAsync(Ct));
        var streamed = await events.ReadToEndAsync(Ct).DefaultTimeout();

        var beforeBody = await before.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(a, beforeBody.GetProperty("revision").GetString());
        Assert.Equal($"{a}|Review version A.", beforeBody.GetProperty("result").GetString());
        Assert.Equal(a, before.Headers.GetValues("X-Evergreen-Revision").Single());
        Assert.Equal(a, stream.Headers.GetValues("X-Evergreen-Revision").Single());
        var complete = streamed.Single(e => e.GetProperty("type").GetString() == "complete");
        Assert.Equal($"{a}|Review version A.", complete.GetProperty("result").GetProperty("result").GetString());

        var afterBody = await after.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(b, afterBody.GetProperty("revision").GetString());
        Assert.Equal($"{b}|Review version B.", afterBody.GetProperty("result").GetString());
        Assert.Equal($"{b}|notes of version B\n", (await readAfter.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("result").GetString());
    }

    [Fact]
    public async Task Rollback_OneStep_ServesThePreviousRevisionFromMemoryAndStaysPinned()
    {
        await using var scenario = await RuntimeScenario.StartAsync(postgres, redis, Plugins.Review("Review version A."));
        var runtime = scenario.Runtime;
        var b = await scenario.PublishAsync("second", ("review/agents/reviewer.md", PluginGitRepository.Agent("reviewer", "Review version B.")));
        await runtime.WaitForActiveAsync(b, "the runtime activated B");
        using var events = await runtime.Client.GetAsync("/v1/events", HttpCompletionOption.ResponseHeadersRead, Ct).DefaultTimeout();
        using var eventReader = new ServerSentEvents(await events.Content.ReadAsStreamAsync(Ct));
        var initial = await eventReader.NextAsync(Ct).DefaultTimeout();

        // ConfigStore is gone: a rollback must not need it.
        await scenario.ConfigStore.DisposeAsync();
        using var rollback = await runtime.Admin.PostAsJsonAsync("/v1/admin/plugins/rollback", new { steps = 1 }, Ct).DefaultTimeout();
        using var run = await runtime.RunAsync("/v1/agents/review:reviewer", "go").DefaultTimeout();
        var rolledBack = await eventReader.NextAsync(Ct).DefaultTimeout();
        var state = await runtime.GetStateAsync();

        Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        Assert.Equal(b, initial!.Value.GetProperty("revision").GetString());
        Assert.Equal("rolled-back", rolledBack!.Value.GetProperty("type").GetString());
        Assert.Equal(scenario.First, rolledBack.Value.GetProperty("revision").GetString());
        Assert.Equal($"{scenario.First}|Review version A.", (await run.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("result").GetString());
        Assert.Equal("pinned", state.GetProperty("desired").GetProperty("mode").GetString());
        Assert.Equal(scenario.First, state.GetProperty("desired").GetProperty("revision").GetString());
        Assert.True(state.GetProperty("history")[0].GetProperty("fromMemory").GetBoolean());
    }

    [Fact]
    public async Task Rollback_TooManyStepsOrUnknownRevision_Returns409AndChangesNothing()
    {
        await using var scenario = await RuntimeScenario.StartAsync(postgres, redis, Plugins.Review());
        var runtime = scenario.Runtime;

        using var tooFar = await runtime.Admin.PostAsJsonAsync("/v1/admin/plugins/rollback", new { steps = 1 }, Ct).DefaultTimeout();
        using var unknown = await runtime.Admin.PostAsJsonAsync("/v1/admin/plugins/rollback", new { revision = "0000000000000000000000000000000000000000" }, Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Conflict, tooFar.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(scenario.First, await runtime.ActiveRevisionAsync());
        Assert.Equal("follow-latest", (await runtime.GetStateAsync()).GetProperty("desired").GetProperty("mode").GetString());
    }

    [Fact]
    public async Task PutRevision_PinThenFollowLatest_ActivatesThePinnedRevisionThenTheLatest()
    {
        await using var scenario = await RuntimeScenario.StartAsync(postgres, redis, Plugins.Review("Review version A."));
        var runtime = scenario.Runtime;
        using var pinFirst = await runtime.Admin.PutAsJsonAsync("/admin/revision", new { revision = scenario.First }, Ct).DefaultTimeout();
        var b = await scenario.PublishAsync("second", ("review/agents/reviewer.md", PluginGitRepository.Agent("reviewer", "Review version B.")));
        using var pinB = await runtime.Admin.PutAsJsonAsync("/admin/revision", new { revision = b }, Ct).DefaultTimeout();
        var pinnedToB = await runtime.ActiveRevisionAsync();
        using var pinA = await runtime.Admin.PutAsJsonAsync("/admin/revision", new { revision = scenario.First }, Ct).DefaultTimeout();
        var pinnedToA = await runtime.ActiveRevisionAsync();
        using var follow = await runtime.Admin.PutAsJsonAsync("/admin/revision", new { mode = "follow-latest" }, Ct).DefaultTimeout();
        using var bad = await runtime.Admin.PutAsJsonAsync("/admin/revision", new { mode = "newest" }, Ct).DefaultTimeout();
        using var missing = await runtime.Admin.PutAsJsonAsync("/admin/revision", new { revision = "0000000000000000000000000000000000000000" }, Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, pinFirst.StatusCode);
        Assert.Equal(b, pinnedToB);
        Assert.Equal(scenario.First, pinnedToA);
        Assert.Equal(HttpStatusCode.OK, follow.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(b, await runtime.ActiveRevisionAsync());
        Assert.Equal("follow-latest", (await runtime.GetStateAsync()).GetProperty("desired").GetProperty("mode").GetString());
    }
}
