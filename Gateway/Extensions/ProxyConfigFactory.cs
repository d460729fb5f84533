using System.Globalization;
using System.Net;
using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Health;
using Evergreen.Gateway.Routing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;

namespace Evergreen.Gateway.Extensions;

/// <summary>The YARP route and cluster of the gateway: <c>/v1/**</c> → cluster <c>agentruntime</c>.</summary>
internal static class ProxyConfigFactory
{
    public const string RoutePath = "/v1/{**catch-all}";

    public static IReadOnlyList<RouteConfig> Routes() =>
    [
        new RouteConfig
        {
            RouteId = GatewayOptions.ClusterId,
            ClusterId = GatewayOptions.ClusterId,
            Match = new RouteMatch { Path = RoutePath },
        },
    ];

    public static IReadOnlyList<ClusterConfig> Clusters(GatewayOptions options, DestinationCatalog catalog) =>
    [
        new ClusterConfig
        {
            ClusterId = GatewayOptions.ClusterId,
            LoadBalancingPolicy = WeightedLoadBalancingPolicy.PolicyName,
            HealthCheck = new HealthCheckConfig
            {
                // Never HealthyOrPanic: with nothing healthy the gateway answers 503 instead of feeding a dead replica.
                AvailableDestinationsPolicy = HealthCheckConstants.AvailableDestinations.HealthyAndUnknown,
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = options.HealthCheckInterval,
                    Timeout = options.HealthCheckTimeout,
                    Policy = "ConsecutiveFailures",
                    Path = options.HealthCheckPath,
                },
                Passive = new PassiveHealthCheckConfig
                {
                    Enabled = true,
                    Policy = TransportFailureHealthPolicy.PolicyName,
                    ReactivationPeriod = options.PassiveReactivationPeriod,
                },
            },
            HttpRequest = new ForwarderRequestConfig
            {
                ActivityTimeout = options.ActivityTimeout,

                // Replicas speak HTTP/1.1 over plain TCP; asking for HTTP/2 first would only cost a negotiation step.
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            },
            Metadata = new Dictionary<string, string>
            {
                [ConsecutiveFailuresHealthPolicyOptions.ThresholdMetadataName] =
                    options.HealthCheckConsecutiveFailures.ToString(CultureInfo.InvariantCulture),
            },
            Destinations = catalog.Destinations.ToDictionary(
                d => d.Id,
                d => new DestinationConfig { Address = d.Address },
                StringComparer.OrdinalIgnoreCase),
        },
    ];
}
