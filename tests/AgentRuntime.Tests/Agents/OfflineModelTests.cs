using Evergreen.AgentRuntime.Agents;

namespace Evergreen.AgentRuntime.Tests.Agents;

/// <summary>The whole loop with no key and no network: the offline scripted model.</summary>
public sealed class OfflineModelTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_Prompt_AnswersDeterministicallyNamingAgentAndRevision()
    {
        using var host = RunnerHost.Create(anthropicBaseUrl: null, configStore: null);

        var first = await host.RunAsync(TestPlugin.Run(TestPlugin.Reviewer, "Please review the parser change"), Token);
        var second = await host.RunAsync(TestPlugin.Run(TestPlugin.Reviewer, "Please review the parser change"), Token);

        var result = Assert.IsType<AgentCompleted>(first[^1]).Result;
        Assert.Equal("[offline] code-review:reviewer @ 0123456789ab: received 5 word(s): \"Please review the parser change\"", result.Result);
        Assert.Equal(result.Result, string.Concat(first.OfType<AgentDelta>().Select(d => d.Text)));
        Assert.True(first.OfType<AgentDelta>().Count() >= 3, "the answer streams as several deltas");
        Assert.Equal(first.OfType<AgentDelta>().Select(d => d.Text), second.OfType<AgentDelta>().Select(d => d.Text));
        Assert.True(result.Usage.InputTokens > 0 && result.Usage.OutputTokens > 0);
        Assert.Equal(1, result.Turns);
    }

    [Fact]
    public async Task RunAsync_WriteDirective_WritesWithTheToolAndProposesTheFile()
    {
        await using var configStore = await ProposalRecorder.StartAsync();
        using var host = RunnerHost.Create(anthropicBaseUrl: null, configStore.Address);
        var run = TestPlugin.Run(TestPlugin.Reviewer, "Improve yourself\n!write agents/reviewer.md\n---\nname: reviewer\n---\nBe kinder.\n");

        var events = await host.RunAsync(run, Token);

        var use = Assert.Single(events.OfType<AgentToolUse>());
        Assert.Equal("Write", use.Name);
        Assert.False(Assert.Single(events.OfType<AgentToolResult>()).IsError);
        var result = Assert.IsType<AgentCompleted>(events[^1]).Result;
        Assert.Equal(2, result.Turns);
        Assert.StartsWith("[offline] code-review:reviewer @ 0123456789ab: finished after 1 tool call(s)", result.Result, StringComparison.Ordinal);
        var proposal = Assert.Single(configStore.Received).Proposal;
        var file = Assert.Single(proposal.Files);
        Assert.Equal(($"{TestPlugin.Root}/agents/reviewer.md", "---\nname: reviewer\n---\nBe kinder.\n"), (file.Path, file.Content));
        Assert.Equal(run.RunId, proposal.RunId);
        Assert.Equal("prop-1", result.Proposal?.Proposal?.Id);
    }

    [Fact]
    public async Task RunAsync_WriteDirectiveWithoutWriteTool_SaysSoAndProposesNothing()
    {
        await using var configStore = await ProposalRecorder.StartAsync();
        using var host = RunnerHost.Create(anthropicBaseUrl: null, configStore.Address);

        var events = await host.RunAsync(TestPlugin.Run(TestPlugin.Reader, "!write agents/reader.md\nhacked"), Token);

        var result = Assert.IsType<AgentCompleted>(events[^1]).Result;
        Assert.Contains("cannot write agents/reader.md: no Write tool", result.Result, StringComparison.Ordinal);
        Assert.Null(result.Proposal);
        Assert.Empty(configStore.Received);
    }

    [Fact]
    public async Task RunAsync_ConfigStoreAddressMissing_CompletesNamingTheSetting()
    {
        using var host = RunnerHost.Create(anthropicBaseUrl: null, configStore: null);

        var events = await host.RunAsync(TestPlugin.Run(TestPlugin.Reviewer, "!write docs/new.md\nnew"), Token);

        var result = Assert.IsType<AgentCompleted>(events[^1]).Result;
        Assert.True(result.Success);
        Assert.Null(result.Proposal?.Proposal);
        Assert.Contains("services__configstore__http__0", result.Proposal?.RefusedDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_FailDirective_EndsWithFailed()
    {
        using var host = RunnerHost.Create(anthropicBaseUrl: null, configStore: null);

        var events = await host.RunAsync(TestPlugin.Run(TestPlugin.Reviewer, "Do something\n!fail simulated outage"), Token);

        var failed = Assert.IsType<AgentFailed>(Assert.Single(events));
        Assert.Contains("[offline] code-review:reviewer @ 0123456789ab: failed on request (!fail): simulated outage", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Command_ExpandsArgumentsIntoTheTemplate()
    {
        using var host = RunnerHost.Create(anthropicBaseUrl: null, configStore: null);

        var events = await host.RunAsync(TestPlugin.Run(new AgentTarget { Command = TestPlugin.Review }, "src/Parser.cs"), Token);

        var result = Assert.IsType<AgentCompleted>(events[^1]).Result;
        Assert.Equal("[offline] code-review:review @ 0123456789ab: received 3 word(s): \"Review src/Parser.cs carefully.\"", result.Result);
    }

    [Fact]
    public async Task RunAsync_CancelledToken_EndsTheRun()
    {
        using var host = RunnerHost.Create(anthropicBaseUrl: null, configStore: null);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.RunAsync(TestPlugin.Run(TestPlugin.Reviewer, "x"), cancellation.Token));
    }
}
