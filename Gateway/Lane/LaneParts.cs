namespace Evergreen.Gateway.Lane;

/// <summary>What every lane connection works with, resolved once when Kestrel binds an endpoint to the lane.</summary>
internal sealed record LaneParts(
    LaneRequestParser Parser, LaneForwarder Forwarder, LaneTimeouts Timeouts, LaneStatistics Statistics, ILogger<LaneConnection> Logger);
