namespace Evergreen.AgentRuntime.Agents;

/// <summary>
/// Runs one agent, command or skill against the snapshot a request captured. The HTTP layer turns the events into a
/// JSON response or server-sent events; the runner knows nothing of HTTP.
/// </summary>
public interface IAgentRunner
{
    /// <summary>
    /// Runs <paramref name="run"/> and yields its events as they happen. The last event is always an
    /// <see cref="AgentCompleted"/> or an <see cref="AgentFailed"/>; a cancelled token ends the run with
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    IAsyncEnumerable<AgentEvent> RunAsync(AgentRun run, CancellationToken cancellationToken);
}
