using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Evergreen.AgentRuntime.Tests.Support;
using Evergreen.Testing;

namespace Evergreen.AgentRuntime.Tests.SelfImprovement;

/// <summary>
/// The whole self-improvement loop with nothing faked: the real agent loop and offline model in the runtime, the real
/// ConfigStore with its git repository, PostgreSQL and Redis.
/// </summary>
public sealed class SelfImprovementTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OfflineAgent_WritesItsOwnFile_ProposalApproved_RuntimeServesTheNewRevision()
    {
        await using var scenario = await RuntimeScenario.StartAsync(postgres, redis, Plugins.Review(), realRunner: true);
        var runtime = scenario.Runtime;

        using var run = await runtime.RunAsync(
            "/v1/agents/review:reviewer",
            "Tighten your instructions.\n!write agents/reviewer.md\n---\nname: reviewer\ndescription: Reviews code.\ntools: Read, Write\n---\n\nReview version C: be brief.\n");
        var answer = await run.Content.ReadFromJsonAsync<JsonElement>(Cancellation);

        Assert.True(run.StatusCode == HttpStatusCode.OK, answer.ToString());
        Assert.True(answer.GetProperty("success").GetBoolean());
        Assert.Contains("review:reviewer", answer.GetProperty("result").GetString(), StringComparison.Ordinal);
        var hasProposal = answer.TryGetProperty("proposal", out var outcome) && outcome.TryGetProperty("proposal", out _);
        Assert.True(hasProposal, answer.ToString());
        var proposal = outcome.GetProperty("proposal");
        var proposalId = proposal.GetProperty("id").GetString();
        Assert.Equal("pending", proposal.GetProperty("status").GetString());

        var stored = await scenario.ConfigStore.Client.GetFromJsonAsync<JsonElement>($"/api/proposals/{proposalId}", Cancellation).DefaultTimeout();
        Assert.Equal("review:reviewer", stored.GetProperty("proposal").GetProperty("agent").GetString());
        Assert.Equal(answer.GetProperty("runId").GetString(), stored.GetProperty("proposal").GetProperty("runId").GetString());
        Assert.Contains("+Review version C: be brief.", stored.GetProperty("diff").GetString(), StringComparison.Ordinal);

        using var approve = await scenario.ConfigStore.Client.PostAsync($"/api/proposals/{proposalId}/approve", content: null, Cancellation).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        var merged = (await approve.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("revisionId").GetString()!;

        await runtime.WaitForActiveAsync(merged, "the approved revision reached the runtime through the Redis event");
        using var again = await runtime.RunAsync("/v1/agents/review:reviewer", "Review this.");
        var second = await again.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        Assert.Equal(merged, again.Headers.GetValues("X-Evergreen-Revision").Single());
        Assert.Equal(merged, second.GetProperty("revision").GetString());
    }

    [Fact]
    public async Task AnthropicToolUse_WriteIntoTheOverlay_BecomesAProposalInTheRealConfigStore()
    {
        // The real Anthropic SDK against a fake server speaking the Messages streaming protocol; the rest is real.
        await using var anthropic = await FakeAnthropicServer.StartAsync();
        anthropic.Enqueue(
            FakeAnthropicResponse.ToolUse(
                "toolu_1", "Write", new { file_path = "agents/reviewer.md", content = "---\nname: reviewer\ndescription: Reviews code.\n---\n\nReview version D.\n" },
                text: "I will sharpen my instructions."),
            FakeAnthropicResponse.Text("Done: ", "instructions sharpened."));
        await using var scenario = await RuntimeScenario.StartAsync(
            postgres,
            redis,
            Plugins.Review(),
            new Dictionary<string, string?> { ["AgentRuntime:Anthropic:ApiKey"] = "sk-ant-test", ["AgentRuntime:Anthropic:BaseUrl"] = anthropic.BaseUrl },
            realRunner: true);

        using var run = await scenario.Runtime.RunAsync("/v1/agents/review:reviewer", "Improve yourself.");
        var answer = await run.Content.ReadFromJsonAsync<JsonElement>(Cancellation);

        Assert.True(run.StatusCode == HttpStatusCode.OK, answer.ToString());
        Assert.Equal(2, answer.GetProperty("turns").GetInt32());
        var hasProposal = answer.TryGetProperty("proposal", out var outcome) && outcome.TryGetProperty("proposal", out _);
        Assert.True(hasProposal, answer.ToString());
        var id = outcome.GetProperty("proposal").GetProperty("id").GetString();
        var stored = await scenario.ConfigStore.Client.GetFromJsonAsync<JsonElement>($"/api/proposals/{id}", Cancellation).DefaultTimeout();
        Assert.Equal("pending", stored.GetProperty("proposal").GetProperty("status").GetString());
        Assert.Contains("+Review version D.", stored.GetProperty("diff").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, anthropic.Requests.Count);
    }
}
