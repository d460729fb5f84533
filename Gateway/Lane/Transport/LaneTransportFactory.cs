using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Evergreen.Gateway.Lane.Transport;

/// <summary>
/// Kestrel's transport for the endpoints the lane serves (<see cref="ConnectionLane.Serves"/>); Kestrel binds every other
/// endpoint with its own socket transport. Kestrel tries the transport registered last first, and this one is registered
/// after Kestrel's.
/// </summary>
/// <remarks>
/// The lane's parts are resolved when an endpoint is bound, not when Kestrel is created: Kestrel's server is built while
/// the host is still being put together, before the gateway's routing and forwarding services may be.
/// </remarks>
internal sealed class LaneTransportFactory(IServiceProvider services, ILoggerFactory loggerFactory)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => services.GetRequiredService<ConnectionLane>().Serves(endpoint);

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var kestrelConnections = new SocketConnectionContextFactory(
            new SocketConnectionFactoryOptions(), loggerFactory.CreateLogger<SocketConnectionContextFactory>());
        var listener = LaneListener.Bind((IPEndPoint)endpoint, kestrelConnections, services.GetRequiredService<LaneParts>());
        return ValueTask.FromResult<IConnectionListener>(listener);
    }
}
