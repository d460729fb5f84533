using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Evergreen.AgentRuntime.Agents.Models;
using Evergreen.AgentRuntime.Agents.Proposals;
using Evergreen.AgentRuntime.Agents.Tools;
using Evergreen.Contracts.Proposals;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Evergreen.AgentRuntime.Agents;

/// <summary>
/// The agent loop: streams the model's turn, runs the tools it called, sends the results back, and repeats until the
/// model ends its turn without calling a tool or the turn limit is reached; then proposes the run's file changes.
/// Thread-safe; every run has its own state.
/// </summary>
internal sealed class AgentRunner(
    IChatModelProvider models,
    ToolCatalog tools,
    ProposalSubmitter proposals,
    AgentRunnerOptions options,
    ILogger<AgentRunner> logger) : IAgentRunner
{
    private const int MaxWarnedTargets = 10_000;
    private readonly ConcurrentDictionary<string, byte> _warnedTargets = new(StringComparer.Ordinal);

    public async IAsyncEnumerable<AgentEvent> RunAsync(AgentRun run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var plan = RunPlan.Create(run, tools, options);
        WarnIgnoredTools(run, plan);
        var model = models.Resolve(plan.QualifiedName, run.RevisionId, plan.Model);
        var workspace = new PluginWorkspace(run.Plugin, run.Files, options.MaxFileBytes);
        var context = new ToolContext(workspace);
        var toolsByName = plan.Tools.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var chatOptions = new ChatOptions
        {
            ModelId = model.ModelId,
            MaxOutputTokens = options.MaxOutputTokens,
            Tools = plan.Tools.Count == 0 ? null : [.. plan.Tools.Select(t => t.Declaration)],
        };
        List<ChatMessage> messages = [new(ChatRole.System, plan.SystemPrompt), new(ChatRole.User, plan.UserMessage)];
        Log.RunStarting(logger, run.RunId, plan.QualifiedName, run.RevisionId, model.ModelId, plan.MaxTurns, string.Join(", ", toolsByName.Keys));

        long inputTokens = 0, outputTokens = 0;
        var turns = 0;
        var finalText = "";
        var limitReached = false;
        while (true)
        {
            if (turns == plan.MaxTurns)
            {
                limitReached = true;
                Log.TurnLimitReached(logger, run.RunId, plan.QualifiedName, plan.MaxTurns);
                break;
            }

            turns++;
            var updates = new List<ChatResponseUpdate>();
            Exception? failure = null;
            IAsyncEnumerator<ChatResponseUpdate> stream;
            try
            {
                stream = model.Client.GetStreamingResponseAsync(messages, chatOptions, cancellationToken).GetAsyncEnumerator(cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                failure = ex;
                stream = AsyncEnumerable.Empty<ChatResponseUpdate>().GetAsyncEnumerator(cancellationToken);
            }

            await using (stream)
            {
                while (failure is null)
                {
                    try
                    {
                        if (!await stream.MoveNextAsync())
                        {
                            break;
                        }
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        failure = ex;
                        break;
                    }

                    updates.Add(stream.Current);
                    foreach (var text in stream.Current.Contents.OfType<TextContent>())
                    {
                        if (text.Text.Length > 0)
                        {
                            yield return new AgentDelta(text.Text);
                        }
                    }
                }
            }

            if (failure is not null)
            {
                Log.ModelFailed(logger, failure, run.RunId, plan.QualifiedName, turns);
                yield return new AgentFailed($"The model failed on turn {turns}: {failure.Message}");
                yield break;
            }

            var response = updates.ToChatResponse();
            inputTokens += response.Usage?.InputTokenCount ?? 0;
            outputTokens += response.Usage?.OutputTokenCount ?? 0;
            messages.AddRange(response.Messages);
            finalText = response.Text;
            var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Where(c => !c.InformationalOnly).ToList();
            if (calls.Count == 0)
            {
                break;
            }

            var results = new List<AIContent>(calls.Count);
            foreach (var call in calls)
            {
                yield return new AgentToolUse(call.CallId, call.Name, JsonSerializer.SerializeToElement(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions));
                var (output, isError) = await InvokeAsync(run, call, toolsByName, context, cancellationToken);
                yield return new AgentToolResult(call.CallId, call.Name, output, isError);
                results.Add(new FunctionResultContent(call.CallId, output) { Exception = isError ? new ToolException(output) : null });
            }

            messages.Add(new ChatMessage(ChatRole.Tool, results));
        }

        var result = finalText.Length > 0 || !limitReached ? finalText : $"Stopped after the turn limit of {plan.MaxTurns} turns.";
        var proposal = plan.ProposesChanges && workspace.HasChanges
            ? await ProposeAsync(run, plan, workspace, result, cancellationToken)
            : null;
        Log.RunCompleted(logger, run.RunId, plan.QualifiedName, turns, inputTokens, outputTokens);
        yield return new AgentCompleted(new AgentResult
        {
            Success = true,
            Result = result,
            Turns = turns,
            Usage = new AgentUsage(inputTokens, outputTokens),
            Proposal = proposal,
        });
    }

    private async Task<(string Output, bool IsError)> InvokeAsync(
        AgentRun run, FunctionCallContent call, Dictionary<string, AgentTool> toolsByName, ToolContext context, CancellationToken cancellationToken)
    {
        if (!toolsByName.TryGetValue(call.Name, out var tool))
        {
            var available = toolsByName.Count == 0 ? "none" : string.Join(", ", toolsByName.Keys);
            return ($"Unknown tool '{call.Name}'. Tools available to you: {available}.", true);
        }

        if (call.Exception is { } parseError)
        {
            return ($"{call.Name}: the input is not valid JSON ({parseError.Message}).", true);
        }

        try
        {
            return (await tool.InvokeAsync(new ToolArguments(call.Name, call.Arguments), context, cancellationToken), false);
        }
        catch (ToolException ex)
        {
            Log.ToolFailed(logger, run.RunId, call.Name, ex.Message);
            return (ex.Message, true);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.ToolCrashed(logger, ex, run.RunId, call.Name);
            return ($"{call.Name} failed: {ex.Message}", true);
        }
    }

    private async Task<ProposalOutcome?> ProposeAsync(AgentRun run, RunPlan plan, PluginWorkspace workspace, string finalText, CancellationToken cancellationToken)
    {
        IReadOnlyList<ProposedFile> files;
        try
        {
            files = await workspace.GetChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The revision's originals could not be read to tell changed files from rewritten ones.
            Log.ProposalFailed(logger, plan.QualifiedName, ex.Message);
            return new ProposalOutcome { RefusedDetail = $"The changes were not proposed: the revision's files could not be read ({ex.Message})." };
        }

        if (files.Count == 0)
        {
            return null;
        }

        var rationale = finalText.Trim();
        if (rationale.Length > options.MaxRationaleChars)
        {
            rationale = rationale[..options.MaxRationaleChars] + "…";
        }

        return await proposals.SubmitAsync(
            new ProposalRequest
            {
                Agent = plan.QualifiedName,
                Files = files,
                Rationale = rationale.Length == 0 ? $"Changes made by run {run.RunId}." : rationale,
                RunId = run.RunId,
            },
            cancellationToken);
    }

    private void WarnIgnoredTools(AgentRun run, RunPlan plan)
    {
        // Once per target and revision: a busy replica would otherwise log it on every request.
        if (plan.IgnoredTools.Count > 0 && _warnedTargets.Count < MaxWarnedTargets && _warnedTargets.TryAdd($"{run.RevisionId}|{plan.QualifiedName}", 0))
        {
            Log.ToolsIgnored(logger, plan.QualifiedName, string.Join(", ", plan.IgnoredTools));
        }
    }
}
