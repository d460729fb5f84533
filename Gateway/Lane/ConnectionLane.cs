using System.Net;
using System.Text;
using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Forwarding.Http1;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Evergreen.Gateway.Lane;

/// <summary>
/// The gateway's data plane for plain <c>/v1</c> traffic: a Kestrel connection middleware that serves HTTP/1.1 requests
/// it can read exactly, with the gateway's routing, drain, metrics and health, straight from the transport pipe — below
/// Kestrel's HTTP layer, <see cref="HttpContext"/>, hosting and the middleware pipeline. Everything else (admin, health,
/// any other path, chunked or large bodies, upgrades, anything unusual, and every request while traces are recorded)
/// goes, with the rest of its connection, to Kestrel's HTTP layer and YARP's pipeline, which serve it as before.
/// </summary>
/// <remarks>
/// Why: on the 2-core benchmark, Kestrel's HTTP layer and the hosting around it cost more CPU per request than
/// forwarding itself; a proxy on the transport alone costs about what nginx costs (README, gateway benchmark).
/// <c>Gateway:ConnectionLane=false</c> turns the lane off. It also stays off when a destination is not a plain-HTTP
/// address, since only the gateway's own HTTP/1.1 forwarder can reach it from here.
/// </remarks>
internal sealed class ConnectionLane(
    GatewayOptions options,
    DestinationCatalog catalog,
    LaneRequestParser parser,
    LaneForwarder forwarder,
    LaneTimeouts timeouts,
    LaneStatistics statistics,
    ILogger<ConnectionLane> logger)
{
    public bool Enabled { get; } = options.ConnectionLane && catalog.Destinations.All(d => BackendEndpoint.TryCreate(d.Address) is not null);

    /// <summary>Puts the lane in front of the HTTP layer of an HTTP/1.1 endpoint.</summary>
    public void Apply(ListenOptions listen)
    {
        if (Enabled && listen.Protocols.HasFlag(HttpProtocols.Http1))
        {
            listen.Use(next => connection => ServeAsync(connection, next));
        }
    }

    private Task ServeAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        if (connection.RemoteEndPoint is not IPEndPoint client)
        {
            return next(connection);
        }

        var address = Encoding.ASCII.GetBytes(client.Address.ToString());
        return new LaneConnection(connection, parser, forwarder, timeouts, statistics, address, logger).RunAsync(next);
    }
}
