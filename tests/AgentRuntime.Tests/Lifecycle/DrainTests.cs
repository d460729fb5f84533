using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Evergreen.AgentRuntime.Tests.Support;
using Evergreen.ServiceDefaults.Lifetime;
using Evergreen.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Evergreen.AgentRuntime.Tests.Lifecycle;

public sealed class DrainTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AdminDrain_WithARequestAndAStreamInFlight_ReadinessIs503AndBothFinish()
    {
        await using var scenario = await RuntimeScenario.StartAsync(postgres, redis, Plugins.Review());
        var runtime = scenario.Runtime;
        var (request, stream) = await StartHeldRunsAsync(runtime);

        using var drain = await runtime.Admin.PostAsync("/admin/drain", null, Ct).DefaultTimeout();
        using var ready = await runtime.Client.GetAsync("/health/ready", Ct).DefaultTimeout();
        runtime.Runner.Hold("request").Release();
        runtime.Runner.Hold("stream").Release();
        using var answered = await request.DefaultTimeout();
        using var reader = new ServerSentEvents(await stream.Content.ReadAsStreamAsync(Ct));
        var events = await reader.ReadToEndAsync(Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Accepted, drain.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("draining", await ready.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("complete", events[^1].GetProperty("type").GetString());
        stream.Dispose();
    }

    [Fact]
    public async Task Shutdown_RunsFinishingWithinTheGracePeriod_CompleteBeforeTheHostStops()
    {
        await using var scenario = await RuntimeScenario.StartAsync(postgres, redis, Plugins.Review());
        var runtime = scenario.Runtime;
        var (request, stream) = await StartHeldRunsAsync(runtime);

        var lifecycle = runtime.Services.GetRequiredService<ServiceLifecycle>();
        var stopping = runtime.StopAsync();
        await Eventually.Until(() => lifecycle.IsDraining, TimeSpan.FromSeconds(10), "the host began to stop", Ct);
        var stoppedWhileInFlight = stopping.IsCompleted;
        runtime.Runner.Hold("request").Release();
        runtime.Runner.Hold("stream").Release();
        using var answered = await request.DefaultTimeout();
        using var reader = new ServerSentEvents(await stream.Content.ReadAsStreamAsync(Ct));
        var events = await reader.ReadToEndAsync(Ct).DefaultTimeout();
        await stopping.DefaultTimeout();

        Assert.False(stoppedWhileInFlight);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("complete", events[^1].GetProperty("type").GetString());
        stream.Dispose();
    }

    [Fact]
    public async Task Shutdown_StreamOutlivingTheGracePeriod_GetsAShutdownEvent()
    {
        await using var scenario = await RuntimeScenario.StartAsync(
            postgres, redis, Plugins.Review(), new Dictionary<string, string?> { ["Evergreen:ShutdownGracePeriod"] = "2" });
        var runtime = scenario.Runtime;
        using var created = await runtime.Client.PostAsJsonAsync("/v1/agents/reviewer/stream", new { prompt = "hold:forever" }, Ct).DefaultTimeout();
        var streamUrl = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("streamUrl").GetString();
        using var stream = await runtime.Client.GetAsync(streamUrl, HttpCompletionOption.ResponseHeadersRead, Ct).DefaultTimeout();
        await runtime.Runner.Hold("forever").Started.Task.DefaultTimeout();

        var stopping = runtime.StopAsync();
        using var reader = new ServerSentEvents(await stream.Content.ReadAsStreamAsync(Ct));
        var events = await reader.ReadToEndAsync(Ct).DefaultTimeout();
        await stopping.DefaultTimeout();

        Assert.Equal(["delta", "shutdown"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.StartsWith("blue.", events[1].GetProperty("runId").GetString(), StringComparison.Ordinal);
    }

    private static async Task<(Task<HttpResponseMessage> Request, HttpResponseMessage Stream)> StartHeldRunsAsync(RuntimeHost runtime)
    {
        var request = runtime.RunAsync("/v1/agents/reviewer", "hold:request");
        using var created = await runtime.Client.PostAsJsonAsync("/v1/agents/reviewer/stream", new { prompt = "hold:stream" }, Ct).DefaultTimeout();
        var streamUrl = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("streamUrl").GetString();
        var stream = await runtime.Client.GetAsync(streamUrl, HttpCompletionOption.ResponseHeadersRead, Ct).DefaultTimeout();
        await runtime.Runner.Hold("request").Started.Task.DefaultTimeout();
        await runtime.Runner.Hold("stream").Started.Task.DefaultTimeout();
        return (request, stream);
    }
}
