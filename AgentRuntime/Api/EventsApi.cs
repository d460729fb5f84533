using Evergreen.AgentRuntime.Hosting;
using Evergreen.AgentRuntime.Registry;
using Evergreen.AgentRuntime.Streaming;

namespace Evergreen.AgentRuntime.Api;

/// <summary>
/// <c>GET /v1/events</c>: server-sent events telling a client which revision this replica serves (<c>active</c> on
/// connect) and whenever it activates (<c>activated</c>) or rolls back (<c>rolled-back</c>) a revision. Ends when the
/// replica stops.
/// </summary>
internal static class EventsApi
{
    public static RouteHandlerBuilder MapEventsApi(this IEndpointRouteBuilder endpoints) => endpoints.MapGet("/v1/events", StreamAsync);

    private static async Task StreamAsync(
        HttpContext http, PluginRegistry registry, RegistryEvents events, ReplicaName replica, IHostApplicationLifetime lifetime)
    {
        using var subscription = events.Subscribe();
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            await SseWriter.StartAsync(http.Response, ending.Token);
            await SseWriter.WriteAsync(http.Response, new RevisionEvent("active", registry.Active?.Id, null, replica.Value, DateTimeOffset.UtcNow), ending.Token);
            await foreach (var record in subscription.Reader.ReadAllAsync(ending.Token))
            {
                var type = record.Kind == ActivationKind.RolledBack ? "rolled-back" : "activated";
                await SseWriter.WriteAsync(http.Response, new RevisionEvent(type, record.Revision, record.Previous, replica.Value, record.At), ending.Token);
            }
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested)
        {
            // The client left or the replica is stopping.
        }
    }

    private sealed record RevisionEvent(string Type, string? Revision, string? Previous, string Replica, DateTimeOffset At);
}
