using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Forwarding;
using Evergreen.Gateway.Metrics;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Evergreen.Gateway.Health;

/// <summary>
/// Passive health policy <c>EvergreenTransportFailures</c>: a refused or unreachable connection marks the destination
/// unhealthy at once (a definitive signal); other transport failures (time-outs, resets, truncated responses) do after
/// <see cref="GatewayOptions.PassiveFailureThreshold"/> in a row, so one slow agent run does not take a replica out.
/// YARP resets the passive state to unknown after the cluster's reactivation period. Lock-free, unlike YARP's
/// <c>TransportFailureRate</c> policy, which locks a per-destination history on every request.
/// </summary>
internal sealed class TransportFailureHealthPolicy(
    IDestinationHealthUpdater healthUpdater,
    DestinationCatalog catalog,
    DestinationMetricsRegistry metrics,
    GatewayOptions options,
    ILogger<TransportFailureHealthPolicy> logger) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "EvergreenTransportFailures";

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination) =>
        Report(cluster, destination, AttemptClassifier.Classify(context.Features.Get<IForwarderErrorFeature>()));

    /// <summary>Takes an attempt's outcome into the destination's passive health (also for the connection lane's requests).</summary>
    public void Report(ClusterState cluster, DestinationState destination, AttemptOutcome outcome)
    {
        var index = catalog.IndexOf(destination.DestinationId);
        if (index < 0)
        {
            return;
        }

        var counters = metrics[index];
        switch (outcome)
        {
            case AttemptOutcome.Answered:
                counters.TransportSucceeded();
                break;
            case AttemptOutcome.ConnectFailure:
                MarkUnhealthy(cluster, destination, "connection failed");
                break;
            case AttemptOutcome.TransportFailure when counters.TransportFailed() >= options.PassiveFailureThreshold:
                MarkUnhealthy(cluster, destination, $"{options.PassiveFailureThreshold} transport failures in a row");
                break;
        }
    }

    private void MarkUnhealthy(ClusterState cluster, DestinationState destination, string reason)
    {
        if (destination.Health.Passive == DestinationHealth.Unhealthy)
        {
            return;
        }

        var period = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? options.PassiveReactivationPeriod;
        Log.MarkedUnhealthy(logger, destination.DestinationId, reason, period);
        healthUpdater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, period);
    }
}
