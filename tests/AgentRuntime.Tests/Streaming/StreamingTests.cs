using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Evergreen.AgentRuntime.Tests.Support;
using Evergreen.Testing;

namespace Evergreen.AgentRuntime.Tests.Streaming;

public sealed class StreamingTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PluginsStream_SessionRead_StreamsDeltaThenCompleteOnce()
    {
        await using var scenario = await RuntimeScenario.StartAsync(postgres, redis, Plugins.Review());
        var client = scenario.Runtime.Client;

        using var created = await client.PostAsJsonAsync("/v1/plugins/stream", new { plugin = "review", agent = "reviewer", prompt = "go" }, Ct).DefaultTimeout();
        var session = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var sessionId = session.GetProperty("sessionId").GetString()!;
        using var stream = await client.GetAsync(session.GetProperty("streamUrl").GetString(), HttpCompletionOption.ResponseHeadersRead, Ct).DefaultTimeout();
        using var reader = new ServerSentEvents(await stream.Content.ReadAsStreamAsync(Ct));
        var events = await reader.ReadToEndAsync(Ct).DefaultTimeout();
        using var again = await client.GetAsync(session.GetProperty("streamUrl").GetString(), Ct).DefaultTimeout();

        Assert.StartsWith("blue.", sessionId, StringComparison.Ordinal);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        Assert.Equal(sessionId, stream.Headers.GetValues("X-Evergreen-Run-Id").Single());
        Assert.Equal(["delta", "complete"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal($"revision={scenario.First}\n", events[0].GetProperty("text").GetString());
        var result = events[1].GetProperty("result");
        Assert.True(result.GetProperty("success").GetBoolean());
        Assert.Equal(1, result.GetProperty("turns").GetInt32());
        Assert.Equal($"{scenario.First}|Review version A.", result.GetProperty("result").GetString());
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task RunEndpoint_AcceptEventStream_StreamsDirectlyIncludingErrors()
    {
        await using var scenario = await RuntimeScenario.StartAsync(postgres, redis, Plugins.Review());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/agents/review:reviewer") { Content = JsonContent.Create(new { prompt = "fail" }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await scenario.Runtime.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct).DefaultTimeout();
        using var reader = new ServerSentEvents(await response.Content.ReadAsStreamAsync(Ct));
        var events = await reader.ReadToEndAsync(Ct).DefaultTimeout();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["delta", "error"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("scripted failure", events[1].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Session_NotReadInTime_Expires()
    {
        await using var scenario = await RuntimeScenario.StartAsync(
            postgres, redis, Plugins.Review(), new Dictionary<string, string?> { ["AgentRuntime:Streaming:SessionTimeout"] = "1" });
        var runtime = scenario.Runtime;

        using var created = await runtime.Client.PostAsJsonAsync("/v1/agents/reviewer/stream", new { prompt = "go" }, Ct).DefaultTimeout();
        var streamUrl = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("streamUrl").GetString();
        var pendingAtFirst = (await runtime.GetStateAsync()).GetProperty("pendingSessions").GetInt32();
        await Eventually.Until(
            async () => (await runtime.GetStateAsync()).GetProperty("pendingSessions").GetInt32() == 0,
            TimeSpan.FromSeconds(10), "the unread session expired", Ct);
        using var late = await runtime.Client.GetAsync(streamUrl, Ct).DefaultTimeout();

        Assert.Equal(1, pendingAtFirst);
        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
        Assert.Contains("expired", await late.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
