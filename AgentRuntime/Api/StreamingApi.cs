using Evergreen.AgentRuntime.Agents;
using Evergreen.AgentRuntime.Hosting;
using Evergreen.AgentRuntime.Registry;
using Evergreen.AgentRuntime.Runs;
using Evergreen.AgentRuntime.Streaming;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Api;

/// <summary>
/// <c>GET /v1/stream/{sessionId}</c>: the events of a session created by <c>POST /v1/agents/{name}/stream</c> or
/// <c>POST /v1/plugins/stream</c>. A session is read once; its id starts with the replica name so a gateway can route
/// the GET to the replica holding it.
/// </summary>
internal static class StreamingApi
{
    public static RouteHandlerBuilder MapStreamingApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/v1/stream/{sessionId}", ReadAsync);

    private static async Task<IResult> ReadAsync(string sessionId, StreamSessions sessions, RunExecutor executor, ReplicaName replica, HttpContext http)
    {
        if (sessions.Take(sessionId) is not { } prepared)
        {
            var elsewhere = !sessionId.StartsWith($"{replica.Value}.", StringComparison.Ordinal);
            return Problems.NotFound(elsewhere
                ? $"Session '{sessionId}' does not belong to replica '{replica.Value}': send the GET through the gateway, which routes by the id's prefix."
                : $"Session '{sessionId}' is unknown, was already read, or expired ({sessions.Timeout.TotalSeconds:0} s after it was created). Create a new one.");
        }

        await executor.StreamAsync(http, prepared, http.RequestAborted);
        return TypedResults.Empty;
    }

    /// <summary>Creates sessions for the stream endpoints of both APIs.</summary>
    internal sealed class SessionFactory(RunPreparer preparer, StreamSessions sessions, ReplicaName replica)
    {
        public IResult Create(HttpContext http, LoadedRevision revision, PluginDefinition plugin, AgentTarget target, string? prompt, int? maxTurns)
        {
            var (prepared, problem) = preparer.Prepare(revision, plugin, target, prompt, maxTurns);
            if (prepared is null)
            {
                return problem!;
            }

            sessions.Add(prepared);
            var id = prepared.Run.RunId;
            http.Features.Set(new RunFeature(revision.Id, id));
            return TypedResults.Ok(new StreamSessionResponse(id, $"/v1/stream/{Uri.EscapeDataString(id)}", revision.Id, replica.Value));
        }
    }
}
