using System.Diagnostics;
using System.Text;
using Evergreen.AgentRuntime.Agents;
using Evergreen.AgentRuntime.Hosting;
using Evergreen.AgentRuntime.Lifecycle;
using Evergreen.AgentRuntime.Metrics;
using Evergreen.AgentRuntime.Streaming;

namespace Evergreen.AgentRuntime.Runs;

/// <summary>
/// Runs a prepared run through the <see cref="IAgentRunner"/> and answers with one JSON document or with server-sent
/// events; counts the run for drain and records it in the metrics against the revision it captured.
/// </summary>
internal sealed partial class RunExecutor(
    IServiceProvider services, RunMetrics metrics, WorkTracker work, OpenStreams streams, ReplicaName replica, ILogger<RunExecutor> logger)
{
    /// <summary>Runs to the end and answers with the compatible JSON shape; a failed run answers 500 with the same shape.</summary>
    public async Task<IResult> AnswerAsync(HttpContext http, PreparedRun prepared, CancellationToken cancellationToken)
    {
        http.Features.Set(new RunFeature(prepared.Revision.Id, prepared.Run.RunId));
        if (services.GetService<IAgentRunner>() is not { } runner)
        {
            return NoRunner();
        }

        using var scope = work.Enter();
        var started = Stopwatch.GetTimestamp();
        AgentResult? result = null;
        string? failure = null;
        var text = new StringBuilder();
        try
        {
            await foreach (var agentEvent in runner.RunAsync(prepared.Run, cancellationToken))
            {
                switch (agentEvent)
                {
                    case AgentDelta delta:
                        text.Append(delta.Text);
                        break;
                    case AgentCompleted completed:
                        result = completed.Result;
                        break;
                    case AgentFailed failed:
                        failure = failed.Message;
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRunCrashed(logger, prepared.Run.RunId, ex);
            failure = $"The run failed: {ex.Message}";
        }

        var succeeded = failure is null && result is not null;
        metrics.RecordRun(prepared.Run.RunId, prepared.Revision.Id, Stopwatch.GetElapsedTime(started), succeeded && result!.Success);
        var body = new RunResponse
        {
            Success = succeeded && result!.Success,
            Result = result?.Result ?? failure ?? (text.Length > 0 ? text.ToString() : "The run ended without a result."),
            Turns = result?.Turns ?? 0,
            Usage = new UsageView(result?.Usage.InputTokens ?? 0, result?.Usage.OutputTokens ?? 0),
            RunId = prepared.Run.RunId,
            Revision = prepared.Revision.Id,
            Replica = replica.Value,
            Proposal = result?.Proposal,
        };
        return succeeded ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status500InternalServerError);
    }

    /// <summary>Runs and streams every event as it happens; the stream ends after <c>complete</c>, <c>error</c> or <c>shutdown</c>.</summary>
    public async Task StreamAsync(HttpContext http, PreparedRun prepared, CancellationToken requestAborted)
    {
        http.Features.Set(new RunFeature(prepared.Revision.Id, prepared.Run.RunId));
        if (services.GetService<IAgentRunner>() is not { } runner)
        {
            await NoRunner().ExecuteAsync(http);
            return;
        }

        using var scope = work.Enter();
        using var stream = streams.Open(prepared.Run.RunId);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stream.ShutdownRequested);
        var response = http.Response;
        var started = Stopwatch.GetTimestamp();
        var success = false;
        try
        {
            await SseWriter.StartAsync(response, requestAborted);
            await foreach (var agentEvent in runner.RunAsync(prepared.Run, linked.Token))
            {
                await SseWriter.WriteAsync(response, agentEvent, requestAborted);
                success = agentEvent is AgentCompleted { Result.Success: true };
            }
        }
        catch (OperationCanceledException) when (stream.ShutdownRequested.IsCancellationRequested && !requestAborted.IsCancellationRequested)
        {
            await SseWriter.WriteAsync(response, new ShutdownEvent(prepared.Run.RunId,
                "This replica is shutting down and its grace period ran out before the run finished; run it again."), requestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRunCrashed(logger, prepared.Run.RunId, ex);
            if (!requestAborted.IsCancellationRequested)
            {
                await SseWriter.WriteAsync<AgentEvent>(response, new AgentFailed($"The run failed: {ex.Message}"), requestAborted);
            }
        }
        finally
        {
            metrics.RecordRun(prepared.Run.RunId, prepared.Revision.Id, Stopwatch.GetElapsedTime(started), success);
        }
    }

    private static IResult NoRunner() => TypedResults.Problem(
        detail: "No agent runner is registered in this build (builder.AddAgentRunner() is missing).",
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Agent runner unavailable");

    [LoggerMessage(1, LogLevel.Error, "Run {RunId} failed with an exception.")]
    private static partial void LogRunCrashed(ILogger logger, string runId, Exception exception);
}
