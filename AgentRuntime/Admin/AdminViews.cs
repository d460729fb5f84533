using Evergreen.AgentRuntime.Registry;

namespace Evergreen.AgentRuntime.Admin;

/// <summary>Body of <c>GET /admin/state</c>.</summary>
internal sealed record AdminStateView
{
    public required string Replica { get; init; }

    public required string State { get; init; }

    public RevisionView? Active { get; init; }

    public required DesiredView Desired { get; init; }

    public required IReadOnlyList<RevisionView> Loaded { get; init; }

    public required IReadOnlyList<ActivationView> History { get; init; }

    public LoadFailure? LastFailure { get; init; }

    public DateTimeOffset? LastReconciledAt { get; init; }

    public required long InFlightRequests { get; init; }

    public required long RunsInProgress { get; init; }

    public required int OpenStreams { get; init; }

    public required int PendingSessions { get; init; }

    public required int CachedFiles { get; init; }
}

internal sealed record DesiredView(string Mode, string? Revision);

internal sealed record RevisionView(string Id, string Checksum, int PluginCount, DateTimeOffset LoadedAt, double LoadDurationMs)
{
    public static RevisionView From(LoadedRevision revision) => new(
        revision.Id, revision.Checksum, revision.Catalog.Plugins.Count, revision.LoadedAt, Math.Round(revision.LoadDuration.TotalMilliseconds, 3));
}

internal sealed record ActivationView(string Revision, string? Previous, string Kind, DateTimeOffset At, double LoadDurationMs, bool FromMemory)
{
    public static ActivationView From(ActivationRecord record) => new(
        record.Revision,
        record.Previous,
        record.Kind == ActivationKind.RolledBack ? "rolled-back" : "activated",
        record.At,
        Math.Round(record.LoadDuration.TotalMilliseconds, 3),
        record.FromMemory);
}

/// <summary>Body of <c>PUT /admin/revision</c>: <c>{revision}</c> pins, <c>{mode: "follow-latest"}</c> follows.</summary>
internal sealed record SetRevisionRequest
{
    public string? Revision { get; init; }

    public string? Mode { get; init; }
}

/// <summary>Body of <c>POST /v1/admin/plugins/rollback</c>.</summary>
internal sealed record RollbackRequest
{
    public int? Steps { get; init; }

    public string? Revision { get; init; }
}

internal sealed record RollbackResult(string Revision, string? Previous, string Mode);

internal sealed record DrainStarted(string State, long RunsInProgress, int OpenStreams, double GracePeriodSeconds);

internal sealed record MetricsView(string Replica, double WindowSeconds, string? ActiveRevision, IReadOnlyList<Metrics.RevisionMetrics> Revisions);
