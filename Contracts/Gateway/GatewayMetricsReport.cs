namespace Evergreen.Contracts.Gateway;

/// <summary>
/// Answer of <c>GET /admin/metrics?windowSeconds=N</c>: per-destination traffic over the last N one-second buckets
/// (the current, partial second included). Rollout gates read it.
/// </summary>
public sealed record GatewayMetricsReport
{
    /// <summary>The window the numbers cover, in seconds (1–300).</summary>
    public required int WindowSeconds { get; init; }

    /// <summary>When the report was computed (UTC).</summary>
    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>One entry per destination, ordered by id, including destinations without traffic.</summary>
    public required IReadOnlyList<DestinationMetrics> Destinations { get; init; }
}
