using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Evergreen.Testing;

namespace Evergreen.AppHost.Tests.Launcher;

/// <summary>Clients' traffic through the gateway of the whole system, booted by the real app model.</summary>
public sealed class AgentTrafficTests(RunningSystemFixture fixture) : IClassFixture<RunningSystemFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Gateway_ListsTheSamplePluginsAndRunsAnAgentOnAReplica()
    {
        using var gateway = CreateClient("gateway");

        var plugins = await gateway.GetFromJsonAsync<JsonElement>("/v1/plugins", Cancellation).DefaultTimeout();
        using var run = await gateway.PostAsJsonAsync("/v1/agents/code-review:reviewer", new { prompt = "Review this change." }, Cancellation).DefaultTimeout();
        var answer = await run.Content.ReadFromJsonAsync<JsonElement>(Cancellation);

        Assert.Contains("code-review", plugins.GetProperty("plugins").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.Contains("code-review:reviewer", answer.GetProperty("result").GetString(), StringComparison.Ordinal);
        Assert.Contains(run.Headers.GetValues("X-Evergreen-Replica").Single(), new[] { "blue", "green" });
        Assert.Equal(answer.GetProperty("revision").GetString(), run.Headers.GetValues("X-Evergreen-Revision").Single());
    }

    [Fact]
    public async Task SelfImprovingAgent_ThroughTheGateway_BecomesAPendingProposalInConfigStore()
    {
        // The runtime presents the launcher's runtime token to ConfigStore: this proves the two are wired together.
        using var gateway = CreateClient("gateway");
        using var configStore = CreateClient("configstore");
        configStore.DefaultRequestHeaders.Authorization = new("Bearer", fixture.Instance.Application.AdminToken);

        using var run = await gateway.PostAsJsonAsync(
            "/v1/agents/docs-writer:doc-writer",
            new { prompt = "Add a rule.\n!write agents/doc-writer.md\n---\nname: doc-writer\ndescription: Writes docs.\n---\n\nWrite docs. Prefer examples.\n" },
            Cancellation).DefaultTimeout();
        var answer = await run.Content.ReadFromJsonAsync<JsonElement>(Cancellation);

        Assert.True(run.StatusCode == HttpStatusCode.OK, answer.ToString());
        var hasProposal = answer.TryGetProperty("proposal", out var outcome) && outcome.TryGetProperty("proposal", out _);
        Assert.True(hasProposal, answer.ToString());
        var id = outcome.GetProperty("proposal").GetProperty("id").GetString();
        var stored = await configStore.GetFromJsonAsync<JsonElement>($"/api/proposals/{id}", Cancellation).DefaultTimeout();
        Assert.Equal("pending", stored.GetProperty("proposal").GetProperty("status").GetString());
        Assert.Contains("+Write docs. Prefer examples.", stored.GetProperty("diff").GetString(), StringComparison.Ordinal);
    }

    private HttpClient CreateClient(string resource) =>
        new() { BaseAddress = new Uri(fixture.Instance.Application.GetResource(resource)!.Url!), Timeout = TimeSpan.FromSeconds(60) };
}
