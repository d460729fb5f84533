namespace Evergreen.Gateway.Metrics;

/// <summary>How one forwarding attempt ended, from the destination's point of view.</summary>
internal enum AttemptOutcome
{
    /// <summary>The destination answered; the status code tells the rest.</summary>
    Answered,

    /// <summary>No connection could be made: no byte of the request reached the destination. Safe to retry.</summary>
    ConnectFailure,

    /// <summary>The exchange broke after the request may have reached the destination (time-out, reset, truncated response).</summary>
    TransportFailure,
}
