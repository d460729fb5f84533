using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Evergreen.AgentRuntime.Tests.Support;
using Evergreen.Testing;

namespace Evergreen.AgentRuntime.Tests.Api;

public sealed class AgentApiTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Catalog_ListAndDetail_HaveTheRestApiShapes()
    {
        await using var scenario = await RuntimeScenario.StartAsync(postgres, redis, Plugins.Review());
        var client = scenario.Runtime.Client;

        using var listResponse = await client.GetAsync("/v1/plugins", Ct).DefaultTimeout();
        var list = await listResponse.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var detail = await client.GetFromJsonAsync<JsonElement>("/v1/plugins/review", Ct).DefaultTimeout();
        using var unknown = await client.GetAsync("/v1/plugins/nope", Ct).DefaultTimeout();

        Assert.Equal(1, list.GetProperty("count").GetInt32());
        var plugin = list.GetProperty("plugins")[0];
        Assert.Equal("review", plugin.GetProperty("name").GetString());
        Assert.Equal("1.0.0", plugin.GetProperty("version").GetString());
        Assert.Equal("The review plugin.", plugin.GetProperty("description").GetString());
        Assert.Equal("reviewer", plugin.GetProperty("agents")[0].GetProperty("name").GetString());
        Assert.Equal("The reviewer agent.", plugin.GetProperty("agents")[0].GetProperty("description").GetString());
        Assert.Equal("summarize", plugin.GetProperty("commands")[0].GetProperty("name").GetString());
        Assert.Equal("style", plugin.GetProperty("skills")[0].GetProperty("name").GetString());
        Assert.Equal("/v1/plugins/review/agents/reviewer", detail.GetProperty("agents")[0].GetProperty("endpoint").GetString());
        Assert.Equal("/v1/plugins/review/commands/summarize", detail.GetProperty("commands")[0].GetProperty("endpoint").GetString());
        Assert.Equal("/v1/plugins/review/skills/style", detail.GetProperty("skills")[0].GetProperty("endpoint").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal("blue", listResponse.Headers.GetValues("X-Evergreen-Replica").Single());
        Assert.Equal(scenario.First, listResponse.Headers.GetValues("X-Evergreen-Revision").Single());
    }

    [Theory]
    [InlineData("/v1/plugins/review/agents/reviewer", "Review version A.")]
    [InlineData("/v1/plugins/review/commands/summarize", "Summarize $ARGUMENTS")]
    [InlineData("/v1/plugins/review/skills/style", "Write plainly.")]
    [InlineData("/v1/agents/review:reviewer", "Review version A.")]
    [InlineData("/v1/agents/reviewer", "Review version A.")]
    public async Task Run_EachEndpoint_AnswersTheRunShapeWithHeaders(string path, string firstBodyLine)
    {
        await using var scenario = await RuntimeScenario.StartAsync(postgres, redis, Plugins.Review());

        using var response = await scenario.Runtime.RunAsync(path, "go").DefaultTimeout();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal($"{scenario.First}|{firstBodyLine}", body.GetProperty("result").GetString());
        Assert.Equal(1, body.GetProperty("turns").GetInt32());
        Assert.Equal(11, body.GetProperty("usage").GetProperty("inputTokens").GetInt64());
        Assert.Equal(7, body.GetProperty("usage").GetProperty("outputTokens").GetInt64());
        Assert.Equal(scenario.First, body.GetProperty("revision").GetString());
        Assert.Equal("blue", body.GetProperty("replica").GetString());
        Assert.False(body.TryGetProperty("proposal", out _));
        var runId = body.GetProperty("runId").GetString();
        Assert.StartsWith("blue.", runId, StringComparison.Ordinal);
        Assert.Equal(runId, response.Headers.GetValues("X-Evergreen-Run-Id").Single());
        Assert.Equal(scenario.First, response.Headers.GetValues("X-Evergreen-Revision").Single());
        Assert.Equal("blue", response.Headers.GetValues("X-Evergreen-Replica").Single());
    }

    [Fact]
    public async Task Agents_BareNameInTwoPlugins_Returns409ListingTheCandidates()
    {
        await using var scenario = await RuntimeScenario.StartAsync(
            postgres, redis, [.. Plugins.WithAgent("alpha", "helper"), .. Plugins.WithAgent("beta", "helper"), .. Plugins.WithAgent("beta", "solo")]);
        var client = scenario.Runtime.Client;

        using var ambiguous = await scenario.Runtime.RunAsync("/v1/agents/helper", "go").DefaultTimeout();
        using var ambiguousGet = await client.GetAsync("/v1/agents/helper", Ct).DefaultTimeout();
        var problem = await ambiguous.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var qualified = await client.GetFromJsonAsync<JsonElement>("/v1/agents/beta:helper", Ct).DefaultTimeout();
        var unique = await client.GetFromJsonAsync<JsonElement>("/v1/agents/solo", Ct).DefaultTimeout();
        var all = await client.GetFromJsonAsync<JsonElement>("/v1/agents", Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Conflict, ambiguous.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, ambiguousGet.StatusCode);
        Assert.Equal(["alpha:helper", "beta:helper"], problem.GetProperty("candidates").EnumerateArray().Select(c => c.GetString()).Order());
        Assert.Equal("beta", qualified.GetProperty("plugin").GetString());
        Assert.Equal("beta:solo", unique.GetProperty("name").GetString());
        Assert.Equal("/v1/agents/beta%3Asolo", unique.GetProperty("endpoint").GetString());
        Assert.Equal(3, all.GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData("""{"maxTurns": 3}""", "prompt")]
    [InlineData("""{"prompt": "go", "maxTurns": 0}""", "maxTurns")]
    public async Task Run_BadBody_Returns400NamingTheField(string json, string field)
    {
        await using var scenario = await RuntimeScenario.StartAsync(postgres, redis, Plugins.Review());

        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await scenario.Runtime.Client.PostAsync("/v1/agents/reviewer", content, Ct).DefaultTimeout();
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Feedback_OnRuns_IsCountedAgainstTheRevisionInTheMetrics()
    {
        await using var scenario = await RuntimeScenario.StartAsync(postgres, redis, Plugins.Review());
        var runtime = scenario.Runtime;
        using var good = await runtime.RunAsync("/v1/agents/reviewer", "go").DefaultTimeout();
        using var bad = await runtime.RunAsync("/v1/agents/reviewer", "fail").DefaultTimeout();
        var goodRun = (await good.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("runId").GetString();
        var badBody = await bad.Content.ReadFromJsonAsync<JsonElement>(Ct);

        using var up = await runtime.Client.PostAsJsonAsync("/v1/feedback", new { runId = goodRun, score = 1 }, Ct).DefaultTimeout();
        using var down = await runtime.Client.PostAsJsonAsync("/v1/feedback", new { runId = badBody.GetProperty("runId").GetString(), score = -1, comment = "wrong" }, Ct).DefaultTimeout();
        using var invalid = await runtime.Client.PostAsJsonAsync("/v1/feedback", new { runId = goodRun, score = 5 }, Ct).DefaultTimeout();
        using var unknown = await runtime.Client.PostAsJsonAsync("/v1/feedback", new { runId = "blue.unknown", score = 1 }, Ct).DefaultTimeout();
        var metrics = await runtime.Admin.GetFromJsonAsync<JsonElement>("/admin/metrics?windowSeconds=60", Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.InternalServerError, bad.StatusCode);
        Assert.False(badBody.GetProperty("success").GetBoolean());
        Assert.Equal("scripted failure", badBody.GetProperty("result").GetString());
        Assert.Equal(HttpStatusCode.Accepted, up.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, down.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var revision = metrics.GetProperty("revisions").EnumerateArray().Single();
        Assert.Equal(scenario.First, revision.GetProperty("revision").GetString());
        Assert.Equal(2, revision.GetProperty("runs").GetInt32());
        Assert.Equal(1, revision.GetProperty("errors").GetInt32());
        Assert.True(revision.GetProperty("latencyMs").GetProperty("p99").GetDouble() > 0);
        Assert.Equal(1, revision.GetProperty("feedback").GetProperty("up").GetInt32());
        Assert.Equal(1, revision.GetProperty("feedback").GetProperty("down").GetInt32());
    }

    [Theory]
    [InlineData("GET", "/admin/state")]
    [InlineData("PUT", "/admin/revision")]
    [InlineData("POST", "/v1/admin/plugins/rollback")]
    [InlineData("POST", "/admin/drain")]
    [InlineData("GET", "/admin/metrics")]
    public async Task Admin_WithoutToken_Returns401AndChangesNothing(string method, string path)
    {
        await using var scenario = await RuntimeScenario.StartAsync(postgres, redis, Plugins.Review());

        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { steps = 1, mode = "follow-latest" }) };
        using var response = await scenario.Runtime.Client.SendAsync(request, Ct).DefaultTimeout();
        using var ready = await scenario.Runtime.Client.GetAsync("/health/ready", Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(scenario.First, await scenario.Runtime.ActiveRevisionAsync());
    }
}
