using Evergreen.AgentRuntime.Agents;
using Evergreen.AgentRuntime.Tests.Support;
using Evergreen.Testing;

namespace Evergreen.AgentRuntime.Tests.Agents;

/// <summary>The agent loop through the real Anthropic SDK against a fake Messages API server.</summary>
public sealed class AnthropicRunnerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_TextStream_YieldsDeltasInOrderAndCompletes()
    {
        await using var anthropic = await FakeAnthropicServer.StartAsync();
        anthropic.Enqueue(FakeAnthropicResponse.Text("Looks ", "good ", "to me.") with { InputTokens = 12, OutputTokens = 7 });
        using var host = RunnerHost.Create(anthropic.BaseUrl, configStore: null);

        var events = await host.RunAsync(TestPlugin.Run(TestPlugin.Reviewer, "Review this diff"), Token);

        Assert.Equal(["Looks ", "good ", "to me."], events.OfType<AgentDelta>().Select(d => d.Text));
        var result = Assert.IsType<AgentCompleted>(events[^1]).Result;
        Assert.True(result.Success);
        Assert.Equal("Looks good to me.", result.Result);
        Assert.Equal(1, result.Turns);
        Assert.Equal(new AgentUsage(12, 7), result.Usage);
        Assert.Null(result.Proposal);

        var request = Assert.Single(anthropic.Requests);
        Assert.Equal("claude-sonnet-test", request.Model); // no model in frontmatter: the default (sonnet) model
        Assert.True(request.Body.GetProperty("stream").GetBoolean());
        Assert.StartsWith(TestPlugin.ReviewerBody, request.System, StringComparison.Ordinal);
        Assert.Contains("- style: The house style", request.System, StringComparison.Ordinal);
        Assert.Equal(["Read", "Glob", "Grep", "Write", "Edit", "Skill"], request.ToolNames);
        Assert.Equal("Review this diff", request.FirstUserText);
        // The configured key reaches the API (this SDK version sends it as a bearer token, older ones as x-api-key).
        Assert.Contains("sk-ant-test", $"{request.ApiKeyHeader} {request.AuthorizationHeader}", StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ToolUseWrite_RunsToolSendsResultAndProposesTheChange()
    {
        await using var anthropic = await FakeAnthropicServer.StartAsync();
        await using var configStore = await ProposalRecorder.StartAsync();
        anthropic.Enqueue(
            FakeAnthropicResponse.ToolUse("toolu_1", "Write", new { file_path = "agents/reviewer.md", content = "Be kinder.\n" }, text: "I will improve myself.")
                with { InputTokens = 20, OutputTokens = 10 },
            FakeAnthropicResponse.Text("Improved my instructions.") with { InputTokens = 30, OutputTokens = 5 });
        using var host = RunnerHost.Create(anthropic.BaseUrl, configStore.Address);
        var run = TestPlugin.Run(TestPlugin.Reviewer, "Improve yourself");

        var events = await host.RunAsync(run, Token);

        var use = Assert.Single(events.OfType<AgentToolUse>());
        Assert.Equal(("toolu_1", "Write", "agents/reviewer.md"), (use.Id, use.Name, use.Input.GetProperty("file_path").GetString()));
        var toolResult = Assert.Single(events.OfType<AgentToolResult>());
        Assert.False(toolResult.IsError, toolResult.Output);
        Assert.Equal(["I will improve myself.", "Improved my instructions."], events.OfType<AgentDelta>().Select(d => d.Text));
        var result = Assert.IsType<AgentCompleted>(events[^1]).Result;
        Assert.Equal(2, result.Turns);
        Assert.Equal(new AgentUsage(50, 15), result.Usage);

        // The second request carries the tool's result back to the model.
        Assert.Equal(2, anthropic.Requests.Count);
        var sentResult = Assert.Single(anthropic.Requests[1].Blocks("tool_result"));
        Assert.Equal("toolu_1", sentResult.GetProperty("tool_use_id").GetString());
        Assert.Contains("agents/reviewer.md", sentResult.GetRawText(), StringComparison.Ordinal);

        var (proposal, authorization) = Assert.Single(configStore.Received);
        Assert.Equal($"Bearer {RunnerHost.RuntimeToken}", authorization);
        Assert.Equal("code-review:reviewer", proposal.Agent);
        Assert.Equal(run.RunId, proposal.RunId);
        Assert.Equal("Improved my instructions.", proposal.Rationale);
        var file = Assert.Single(proposal.Files);
        Assert.Equal(($"{TestPlugin.Root}/agents/reviewer.md", "Be kinder.\n", false), (file.Path, file.Content, file.Delete));

        Assert.NotNull(result.Proposal);
        Assert.Equal("prop-1", result.Proposal.Proposal?.Id);
        Assert.Equal("pending", result.Proposal.Proposal?.Status);
        Assert.Null(result.Proposal.RefusedStatus);
    }

    [Fact]
    public async Task RunAsync_ProposalRateLimited_PassesTheRefusalThrough()
    {
        await using var anthropic = await FakeAnthropicServer.StartAsync();
        await using var configStore = await ProposalRecorder.StartAsync();
        configStore.Refuse(429, "Agent code-review:reviewer has made 5 proposals in the last hour; the limit is 5.", retryAfter: "1800");
        anthropic.Enqueue(
            FakeAnthropicResponse.ToolUse("toolu_1", "Edit", new { file_path = "README.md", old_string = "more checks", new_string = "security checks" }),
            FakeAnthropicResponse.Text("Edited the README."));
        using var host = RunnerHost.Create(anthropic.BaseUrl, configStore.Address);

        var events = await host.RunAsync(TestPlugin.Run(TestPlugin.Reviewer, "Fix the README"), Token);

        var result = Assert.IsType<AgentCompleted>(events[^1]).Result;
        Assert.True(result.Success);
        var file = Assert.Single(Assert.Single(configStore.Received).Proposal.Files);
        Assert.Equal("# Code review\nThe TODO list lives here.\nTODO: security checks\n", file.Content);
        Assert.NotNull(result.Proposal);
        Assert.Null(result.Proposal.Proposal);
        Assert.Equal(429, result.Proposal.RefusedStatus);
        Assert.Contains("5 proposals in the last hour", result.Proposal.RefusedDetail, StringComparison.Ordinal);
        Assert.Contains("Retry-After: 1800 s", result.Proposal.RefusedDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ConfigStoreDown_CompletesWithTheTransportError()
    {
        await using var anthropic = await FakeAnthropicServer.StartAsync();
        anthropic.Enqueue(
            FakeAnthropicResponse.ToolUse("toolu_1", "Write", new { file_path = "docs/new.md", content = "new\n" }),
            FakeAnthropicResponse.Text("Wrote docs."));
        using var host = RunnerHost.Create(anthropic.BaseUrl, DeadAddress());

        var events = await host.RunAsync(TestPlugin.Run(TestPlugin.Reviewer, "Write docs"), Token);

        var result = Assert.IsType<AgentCompleted>(events[^1]).Result;
        Assert.True(result.Success);
        Assert.NotNull(result.Proposal);
        Assert.Null(result.Proposal.Proposal);
        Assert.Null(result.Proposal.RefusedStatus);
        Assert.Contains("ConfigStore could not be reached", result.Proposal.RefusedDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ReadOnlyAgent_GetsOnlyItsToolsAndCannotWrite()
    {
        await using var anthropic = await FakeAnthropicServer.StartAsync();
        await using var configStore = await ProposalRecorder.StartAsync();
        anthropic.Enqueue(
            FakeAnthropicResponse.ToolUse("toolu_1", "Write", new { file_path = "agents/reader.md", content = "x" }),
            FakeAnthropicResponse.Text("I could not write."));
        using var host = RunnerHost.Create(anthropic.BaseUrl, configStore.Address);

        var events = await host.RunAsync(TestPlugin.Run(TestPlugin.Reader, "Try to write"), Token);

        Assert.Equal(["Read", "Glob"], anthropic.Requests[0].ToolNames); // Bash(git:*) and WebFetch ignored
        var toolResult = Assert.Single(events.OfType<AgentToolResult>());
        Assert.True(toolResult.IsError);
        Assert.Contains("Unknown tool 'Write'", toolResult.Output, StringComparison.Ordinal);
        var sent = Assert.Single(anthropic.Requests[1].Blocks("tool_result"));
        Assert.True(sent.GetProperty("is_error").GetBoolean());
        Assert.Null(Assert.IsType<AgentCompleted>(events[^1]).Result.Proposal);
        Assert.Empty(configStore.Received);
    }

    [Fact]
    public async Task RunAsync_TurnLimit_StopsAfterMaxTurns()
    {
        await using var anthropic = await FakeAnthropicServer.StartAsync();
        anthropic.Enqueue(
            FakeAnthropicResponse.ToolUse("toolu_1", "Read", new { file_path = "README.md" }),
            FakeAnthropicResponse.ToolUse("toolu_2", "Read", new { file_path = "docs/guide.md" }),
            FakeAnthropicResponse.ToolUse("toolu_3", "Read", new { file_path = "README.md" }));
        using var host = RunnerHost.Create(anthropic.BaseUrl, configStore: null);

        var events = await host.RunAsync(TestPlugin.Run(TestPlugin.Reviewer, "Read forever", maxTurns: 2), Token);

        var result = Assert.IsType<AgentCompleted>(events[^1]).Result;
        Assert.True(result.Success);
        Assert.Equal(2, result.Turns);
        Assert.Equal(2, anthropic.Requests.Count);
        Assert.Contains("turn limit of 2", result.Result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ModelAlias_AsksForTheConfiguredModel()
    {
        await using var anthropic = await FakeAnthropicServer.StartAsync();
        anthropic.Enqueue(FakeAnthropicResponse.Text("a"), FakeAnthropicResponse.Text("b"));
        using var host = RunnerHost.Create(anthropic.BaseUrl, configStore: null);

        await host.RunAsync(TestPlugin.Run(TestPlugin.Agent("deep", "Think.", model: "opus"), "x"), Token);
        await host.RunAsync(TestPlugin.Run(TestPlugin.Agent("pinned", "Think.", model: "claude-3-7-sonnet-20250219"), "x"), Token);

        Assert.Equal(["claude-opus-test", "claude-3-7-sonnet-20250219"], anthropic.Requests.Select(r => r.Model));
    }

    [Fact]
    public async Task RunAsync_ModelError_EndsWithFailed()
    {
        await using var anthropic = await FakeAnthropicServer.StartAsync();
        anthropic.Enqueue(FakeAnthropicResponse.Error(400, "invalid_request_error", "prompt is too long"));
        using var host = RunnerHost.Create(anthropic.BaseUrl, configStore: null);

        var events = await host.RunAsync(TestPlugin.Run(TestPlugin.Reviewer, "x"), Token);

        var failed = Assert.IsType<AgentFailed>(Assert.Single(events));
        Assert.Contains("The model failed on turn 1", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Cancelled_EndsTheRunAndTheModelRequest()
    {
        await using var anthropic = await FakeAnthropicServer.StartAsync();
        anthropic.Enqueue(FakeAnthropicResponse.Text("Thinking about it") with { HoldOpen = true });
        using var host = RunnerHost.Create(anthropic.BaseUrl, configStore: null);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var events = new List<AgentEvent>();

        var run = Task.Run(async () =>
        {
            await foreach (var e in host.Runner.RunAsync(TestPlugin.Run(TestPlugin.Reviewer, "x"), cancellation.Token))
            {
                events.Add(e);
                await cancellation.CancelAsync();
            }
        }, Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.DefaultTimeout());
        Assert.Equal("Thinking about it", Assert.IsType<AgentDelta>(Assert.Single(events)).Text);
        await anthropic.HeldRequestAborted.DefaultTimeout();
    }

    private static string DeadAddress()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return $"http://127.0.0.1:{((System.Net.IPEndPoint)socket.LocalEndPoint!).Port}";
    }
}
