using Evergreen.AgentRuntime.Hosting;
using Evergreen.AgentRuntime.Lifecycle;
using Evergreen.AgentRuntime.Metrics;
using Evergreen.AgentRuntime.Registry;
using Evergreen.AgentRuntime.Streaming;
using Evergreen.ServiceDefaults.Health;
using Evergreen.ServiceDefaults.Lifetime;

namespace Evergreen.AgentRuntime.Admin;

/// <summary>The runtime's admin API (bearer admin token): state, desired revision, rollback, drain, metrics.</summary>
internal static class AdminApi
{
    private const double DefaultWindowSeconds = 300;

    public static IEndpointRouteBuilder MapRuntimeAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin").RequireAdmin();
        admin.MapGet("/state", GetState);
        admin.MapPut("/revision", SetRevisionAsync);
        admin.MapPost("/drain", Drain);
        admin.MapDelete("/drain", EndDrain);
        admin.MapGet("/metrics", GetMetrics);
        endpoints.MapPost("/v1/admin/plugins/rollback", RollBackAsync).RequireAdmin();
        return endpoints;
    }

    private static IResult GetState(
        PluginRegistry registry, RevisionReconciler reconciler, ServiceLifecycle lifecycle, InFlightRequests inFlight, WorkTracker work,
        OpenStreams streams, StreamSessions sessions, FileContentCache files, ReplicaName replica)
    {
        var state = registry.State;
        return TypedResults.Ok(new AdminStateView
        {
            Replica = replica.Value,
            State = lifecycle.State,
            Active = state.Active is { } active ? RevisionView.From(active) : null,
            Desired = new DesiredView(reconciler.Desired.Mode, reconciler.Desired.Revision),
            Loaded = [.. state.Loaded.Select(RevisionView.From)],
            History = [.. state.History.Select(ActivationView.From)],
            LastFailure = reconciler.LastFailure,
            LastReconciledAt = reconciler.LastReconciledAt,
            InFlightRequests = inFlight.Count,
            RunsInProgress = work.Count,
            OpenStreams = streams.Count,
            PendingSessions = sessions.Count,
            CachedFiles = files.Count,
        });
    }

    private static async Task<IResult> SetRevisionAsync(SetRevisionRequest? request, RevisionReconciler reconciler, PluginRegistry registry, CancellationToken cancellationToken)
    {
        var mode = request?.Mode?.Trim();
        var revision = request?.Revision?.Trim();
        var error = (mode, revision) switch
        {
            (null or "", null or "") => "Give {\"revision\": \"<id>\"} to pin a revision or {\"mode\": \"follow-latest\"} to follow the latest.",
            (DesiredRevision.FollowLatestMode, { Length: > 0 }) => "mode follow-latest takes no revision; leave revision out.",
            (not (null or "" or DesiredRevision.FollowLatestMode or DesiredRevision.PinnedMode), _) => $"mode '{mode}' is unknown: use \"follow-latest\" or \"pinned\" (with a revision).",
            (DesiredRevision.PinnedMode, null or "") => "mode pinned needs the revision to pin.",
            _ => null,
        };
        if (error is not null)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [revision is null && mode is not null ? "mode" : "revision"] = [error] },
                title: "The desired revision was not changed");
        }

        var outcome = mode == DesiredRevision.FollowLatestMode
            ? await reconciler.FollowLatestAsync(cancellationToken)
            : await reconciler.PinAsync(revision!, cancellationToken);
        if (outcome.Status == ReconcileStatus.Failed)
        {
            return TypedResults.Problem(
                title: $"Revision {outcome.Revision} was not activated",
                detail: $"{outcome.Failure!.Message} The active revision is still {registry.Active?.Id ?? "(none)"}.",
                statusCode: outcome.Failure.Reason switch
                {
                    "not-found" => StatusCodes.Status404NotFound,
                    "configstore-unavailable" => StatusCodes.Status502BadGateway,
                    _ => StatusCodes.Status422UnprocessableEntity,
                });
        }

        return TypedResults.Ok(new DesiredView(reconciler.Desired.Mode, registry.Active?.Id));
    }

    private static async Task<IResult> RollBackAsync(RollbackRequest? request, PluginRegistry registry, RevisionReconciler reconciler, CancellationToken cancellationToken)
    {
        var loaded = registry.Loaded;
        var known = string.Join(", ", loaded.Select(r => r.Id));
        LoadedRevision? target;
        if (!string.IsNullOrWhiteSpace(request?.Revision))
        {
            if (request.Steps is not null)
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["steps"] = ["Give either steps or revision, not both."] },
                    title: "Nothing was rolled back");
            }

            target = registry.State.FindLoaded(request.Revision.Trim());
            if (target is null)
            {
                return TypedResults.Problem(
                    title: "Nothing was rolled back",
                    detail: $"Revision '{request.Revision}' is not in memory; rollback only goes to a loaded revision: {known}. PUT /admin/revision loads any revision.",
                    statusCode: StatusCodes.Status409Conflict);
            }
        }
        else
        {
            var steps = request?.Steps ?? 1;
            if (steps < 1)
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["steps"] = ["steps must be 1 or more."] }, title: "Nothing was rolled back");
            }

            target = registry.StepsBack(steps);
            if (target is null)
            {
                return TypedResults.Problem(
                    title: "Nothing was rolled back",
                    detail: $"Only {Math.Max(loaded.Length - 1, 0)} earlier revision(s) are in memory ({known}); steps was {steps}.",
                    statusCode: StatusCodes.Status409Conflict);
            }
        }

        var record = await reconciler.RollBackAsync(target, cancellationToken);
        return TypedResults.Ok(new RollbackResult(record.Revision, record.Previous, DesiredRevision.PinnedMode));
    }

    private static IResult Drain(RuntimeDrain drain, WorkTracker work, OpenStreams streams, ServiceLifecycle lifecycle)
    {
        drain.Begin("admin request");
        return TypedResults.Accepted((string?)null, new DrainStarted(lifecycle.State, work.Count, streams.Count, drain.GracePeriod.TotalSeconds));
    }

    private static IResult EndDrain(ServiceLifecycle lifecycle)
    {
        lifecycle.EndDrain();
        return TypedResults.Ok(new { state = lifecycle.State });
    }

    private static IResult GetMetrics(double? windowSeconds, RunMetrics metrics, PluginRegistry registry, ReplicaName replica)
    {
        var seconds = windowSeconds ?? DefaultWindowSeconds;
        if (!double.IsFinite(seconds) || seconds <= 0 || seconds > RunMetrics.MaxWindow.TotalSeconds)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["windowSeconds"] = [$"windowSeconds must be more than 0 and at most {RunMetrics.MaxWindow.TotalSeconds}."] },
                title: "No metrics were computed");
        }

        return TypedResults.Ok(new MetricsView(replica.Value, seconds, registry.Active?.Id, metrics.Report(TimeSpan.FromSeconds(seconds))));
    }
}
