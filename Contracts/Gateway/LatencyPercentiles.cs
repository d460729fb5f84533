namespace Evergreen.Contracts.Gateway;

/// <summary>Latency percentiles in milliseconds, from a log-linear histogram (error under 4 %).</summary>
public sealed record LatencyPercentiles
{
    /// <summary>Median.</summary>
    public required double P50 { get; init; }

    /// <summary>95th percentile.</summary>
    public required double P95 { get; init; }

    /// <summary>99th percentile.</summary>
    public required double P99 { get; init; }
}
