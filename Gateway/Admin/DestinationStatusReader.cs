using Evergreen.Contracts.Gateway;
using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Metrics;
using Evergreen.Gateway.Routing;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Evergreen.Gateway.Admin;

/// <summary>Builds the admin view of destinations from the catalog, the weights, the counters and YARP's health state.</summary>
internal sealed class DestinationStatusReader(
    DestinationCatalog catalog, DestinationWeights weights, DestinationMetricsRegistry metrics, IProxyStateLookup proxyState)
{
    public IReadOnlyList<GatewayDestination> ReadAll()
    {
        var snapshot = weights.Current;
        var states = States();
        return [.. catalog.Destinations.Select(d => ToDto(d, snapshot, states))];
    }

    public GatewayDestination Read(int index) => ToDto(catalog.Destinations[index], weights.Current, States());

    private GatewayDestination ToDto(DestinationDefinition destination, WeightSnapshot snapshot, IReadOnlyDictionary<string, DestinationState> states)
    {
        var state = states.GetValueOrDefault(destination.Id);
        var counters = metrics[destination.Index];
        var active = state?.Health.Active ?? DestinationHealth.Unknown;
        var passive = state?.Health.Passive ?? DestinationHealth.Unknown;
        return new GatewayDestination
        {
            Id = destination.Id,
            Address = destination.Address,
            Weight = snapshot[destination.Index],
            Health = new DestinationHealthReport { Active = Name(active), Passive = Name(passive) },
            Available = state is not null && active != DestinationHealth.Unhealthy && passive != DestinationHealth.Unhealthy,
            InFlight = counters.InFlight,
            Requests = counters.Requests,
            Errors = counters.Errors,
        };
    }

    private Dictionary<string, DestinationState> States() =>
        proxyState.TryGetCluster(GatewayOptions.ClusterId, out var cluster)
            ? cluster.Destinations.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal)
            : [];

    private static string Name(DestinationHealth health) => health switch
    {
        DestinationHealth.Healthy => "healthy",
        DestinationHealth.Unhealthy => "unhealthy",
        _ => "unknown",
    };
}
