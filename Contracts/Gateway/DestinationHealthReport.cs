namespace Evergreen.Contracts.Gateway;

/// <summary>The two health signals of a destination. Each is <c>healthy</c>, <c>unhealthy</c> or <c>unknown</c>.</summary>
public sealed record DestinationHealthReport
{
    /// <summary>From the probes of <c>/health/ready</c> (every second by default); <c>unknown</c> before the first probe.</summary>
    public required string Active { get; init; }

    /// <summary>From proxied traffic: <c>unhealthy</c> after transport failures until the reactivation period ends.</summary>
    public required string Passive { get; init; }
}
