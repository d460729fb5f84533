namespace Evergreen.Contracts.Gateway;

/// <summary>
/// One destination (runtime replica) of the gateway, as <c>GET /admin/destinations</c> reports it and the weight
/// endpoints answer. A point-in-time view: counters keep moving after it is read.
/// </summary>
public sealed record GatewayDestination
{
    /// <summary>The destination id, e.g. <c>agentruntime-blue</c>; the <c>{id}</c> of the admin routes.</summary>
    public required string Id { get; init; }

    /// <summary>The replica's base address, e.g. <c>http://127.0.0.1:5301</c>.</summary>
    public required string Address { get; init; }

    /// <summary>Routing weight 0–100; 0 means draining (no new requests except its own stream sessions).</summary>
    public required int Weight { get; init; }

    /// <summary>Health as the gateway's active and passive checks see it.</summary>
    public required DestinationHealthReport Health { get; init; }

    /// <summary>True when health allows new requests (neither check reports unhealthy); weight is not considered.</summary>
    public required bool Available { get; init; }

    /// <summary>Requests routed to this destination that have not completed yet.</summary>
    public required long InFlight { get; init; }

    /// <summary>Requests forwarded to this destination since the gateway started (retried attempts count once each).</summary>
    public required long Requests { get; init; }

    /// <summary>Of <see cref="Requests"/>, those that ended with a 5xx status or a transport failure.</summary>
    public required long Errors { get; init; }
}
