using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Evergreen.AgentRuntime.Agents;

namespace Evergreen.AgentRuntime.Tests.Support;

/// <summary>
/// A test double of the agent loop, so the host's behaviour can be driven precisely. The prompt is the script:
/// <c>hold:&lt;name&gt;</c> waits on <see cref="Hold"/>'s gate (the run stays in flight), <c>read:&lt;path&gt;</c> reads a file
/// of the captured revision, <c>fail</c> fails. Every run first emits a delta naming its revision, then completes with a
/// result holding the revision and the first line of the target's body, so a test sees which snapshot served it.
/// </summary>
internal sealed class ScriptedAgentRunner : IAgentRunner
{
    private readonly ConcurrentDictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    /// <summary>The gate that runs with the prompt <c>hold:<paramref name="name"/></c> wait on.</summary>
    public Gate Hold(string name) => _gates.GetOrAdd(name, _ => new Gate());

    public async IAsyncEnumerable<AgentEvent> RunAsync(AgentRun run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new AgentDelta($"revision={run.RevisionId}\n");
        var body = run.Target.Agent?.Body ?? run.Target.Command?.Body ?? run.Target.Skill?.Body ?? string.Empty;
        var answer = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
        if (run.Prompt.StartsWith("hold:", StringComparison.Ordinal))
        {
            var gate = Hold(run.Prompt["hold:".Length..]);
            gate.Started.TrySetResult(run);
            await gate.Released.Task.WaitAsync(cancellationToken);
            yield return new AgentDelta("released\n");
        }
        else if (run.Prompt.StartsWith("read:", StringComparison.Ordinal))
        {
            var bytes = await run.Files.ReadAsync(run.Prompt["read:".Length..], cancellationToken);
            answer = bytes is { } content ? Encoding.UTF8.GetString(content.Span) : "(no such file)";
        }
        else if (run.Prompt == "fail")
        {
            yield return new AgentFailed("scripted failure");
            yield break;
        }

        yield return new AgentCompleted(new AgentResult
        {
            Success = true,
            Result = $"{run.RevisionId}|{answer}",
            Turns = 1,
            Usage = new AgentUsage(11, 7),
        });
    }

    /// <summary>Holds runs: <see cref="Started"/> completes when a run reaches it, <see cref="Released"/> lets it go on.</summary>
    internal sealed class Gate
    {
        public TaskCompletionSource<AgentRun> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => Released.TrySetResult();
    }
}
