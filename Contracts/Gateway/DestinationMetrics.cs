namespace Evergreen.Contracts.Gateway;

/// <summary>
/// Traffic of one destination over a <see cref="GatewayMetricsReport"/> window. Every attempt counts: a request that
/// failed to connect and was retried elsewhere counts as a transport failure here and as a request where it was retried.
/// </summary>
public sealed record DestinationMetrics
{
    /// <summary>The destination id.</summary>
    public required string Id { get; init; }

    /// <summary>Attempts forwarded to the destination that completed in the window.</summary>
    public required long Requests { get; init; }

    /// <summary>Attempts answered with a 2xx status.</summary>
    public required long Status2xx { get; init; }

    /// <summary>Attempts answered with a 3xx status.</summary>
    public required long Status3xx { get; init; }

    /// <summary>Attempts answered with a 4xx status (including client cancellations, reported as 4xx).</summary>
    public required long Status4xx { get; init; }

    /// <summary>Attempts answered by the destination with a 5xx status.</summary>
    public required long Status5xx { get; init; }

    /// <summary>Attempts that failed in transport (connect, time-out, broken response), with no usable answer.</summary>
    public required long TransportFailures { get; init; }

    /// <summary>(5xx + transport failures) / requests; 0 without requests.</summary>
    public required double ErrorRate { get; init; }

    /// <summary><see cref="Requests"/> divided by the window length.</summary>
    public required double RequestsPerSecond { get; init; }

    /// <summary>Attempt latency (until the response ended) percentiles in milliseconds; null without requests.</summary>
    public LatencyPercentiles? LatencyMs { get; init; }
}
