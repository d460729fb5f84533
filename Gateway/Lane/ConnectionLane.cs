using System.Collections.Concurrent;
using System.Net;
using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Forwarding.Http1;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Evergreen.Gateway.Lane;

/// <summary>
/// Whether the gateway's data plane for plain <c>/v1</c> traffic — the connection lane — runs, and on which endpoints.
/// The lane is a Kestrel transport of its own (<see cref="Transport.LaneTransportFactory"/>): it accepts the clients'
/// connections and serves HTTP/1.1 requests it can read exactly, with the gateway's routing, drain, metrics and health,
/// straight from the socket — without Kestrel's socket pipes, its HTTP layer, <see cref="HttpContext"/>, hosting and the
/// middleware pipeline. Everything else (admin, health, any other path, chunked or large bodies, upgrades, anything
/// unusual, and every request while traces are recorded) goes, with the rest of its connection, to Kestrel's HTTP layer
/// and YARP's pipeline, which serve it as before.
/// </summary>
/// <remarks>
/// Why: on the 2-core benchmark, Kestrel's HTTP layer, the hosting around it and the pipes of its socket transport cost
/// more CPU per request than forwarding itself; a proxy on sockets alone costs about what nginx costs (README, gateway
/// benchmark). <c>Gateway:ConnectionLane=false</c> turns the lane off (Kestrel's own socket transport then accepts every
/// connection). It also stays off when a destination is not a plain-HTTP address, since only the gateway's own HTTP/1.1
/// forwarder can reach it from here, and on endpoints that do not speak HTTP/1.1.
/// </remarks>
internal sealed class ConnectionLane(GatewayOptions options, DestinationCatalog catalog)
{
    private readonly ConcurrentDictionary<EndPoint, bool> _withoutHttp1 = new();

    public bool Enabled { get; } = options.ConnectionLane && catalog.Destinations.All(d => BackendEndpoint.TryCreate(d.Address) is not null);

    /// <summary>Notes an endpoint that does not speak HTTP/1.1 (Kestrel applies endpoint defaults before it binds).</summary>
    public void Apply(ListenOptions listen)
    {
        if (!listen.Protocols.HasFlag(HttpProtocols.Http1))
        {
            _withoutHttp1[listen.EndPoint] = true;
        }
    }

    /// <summary>True when the lane accepts the connections of <paramref name="endpoint"/>.</summary>
    public bool Serves(EndPoint endpoint) => Enabled && endpoint is IPEndPoint && !_withoutHttp1.ContainsKey(endpoint);
}
