using System.Runtime.CompilerServices;
using System.Text;
using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Forwarding;
using Evergreen.Gateway.Forwarding.Http1;
using Evergreen.Gateway.Health;
using Evergreen.Gateway.Metrics;
using Evergreen.Gateway.Routing;
using Evergreen.ServiceDefaults.Health;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Evergreen.Gateway.Lane;

/// <summary>
/// Serves one lane request with the gateway's features, in the order YARP's pipeline runs them for Kestrel's requests
/// (<see cref="Extensions.GatewayExtensions.MapGatewayProxy"/>): candidate selection (the stream session's or run's owner,
/// else the routable destinations, else 503), the weighted or sticky pick, in-flight accounting that a drain waits for,
/// the exchange, metrics, passive health, and one retry elsewhere when no byte reached the destination. The parts are the
/// same objects YARP's steps use; only the request and response types differ.
/// </summary>
internal sealed class LaneForwarder(
    IProxyStateLookup proxyState,
    RoutingTableCache cache,
    DestinationSelector selector,
    DestinationAdmission admission,
    DestinationMetricsRegistry metrics,
    TransportFailureHealthPolicy health,
    BackendEndpoints endpoints,
    DestinationCatalog catalog,
    GatewayOptions options,
    LaneErrors errors,
    InFlightRequests inFlight,
    TimeProvider timeProvider,
    ILogger<LaneForwarder> logger)
{
    private const int MaxAttempts = 2;

    /// <summary>Each destination's id as the bytes of its <c>X-Evergreen-Destination</c> value, by catalog index.</summary>
    private readonly byte[][] _destinationIds = [.. catalog.Destinations.Select(d => Encoding.ASCII.GetBytes(d.Id))];

    /// <summary>Answers <paramref name="request"/>; false when the connection must close (the response broke off).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> ServeAsync(LaneRequest request, LaneResponse response, bool keepAlive, CancellationToken aborted)
    {
        inFlight.Increment();
        try
        {
            if (!proxyState.TryGetCluster(GatewayOptions.ClusterId, out var cluster))
            {
                return await AnsweredAsync(errors.NoDestinationAsync(request, response, keepAlive, aborted), keepAlive);
            }

            var table = cache.Get(cluster);
            var pinnedIndex = -1;
            DestinationState? destination;
            if (table.AvailableAt(request.OwnerIndex) is { } owner)
            {
                pinnedIndex = request.OwnerIndex;
                destination = owner;
            }
            else
            {
                destination = table.Routable.Length == 0 ? null : selector.Pick(request.UserId, table);
            }

            for (var attempt = 1; ; attempt++)
            {
                var index = admission.Acquire(cluster, ref destination, pinnedIndex, request.UserId);
                if (index < 0 || destination is null)
                {
                    return await AnsweredAsync(errors.NoDestinationAsync(request, response, keepAlive, aborted), keepAlive);
                }

                // The exchange is awaited here, not in a helper: one async frame less on every request's wait for its destination.
                ExchangeResult result;
                try
                {
                    var started = timeProvider.GetTimestamp();
                    response.Begin(_destinationIds[index], request.IsHead, keepAlive);
                    result = await BackendExchange.RunAsync(
                        EndpointOf(destination), new LaneRequestSource(request), new LaneResponseSink(response), options.ConnectTimeout, options.ActivityTimeout, activity: null, logger, aborted);
                    if (result.Succeeded)
                    {
                        try
                        {
                            await response.CompleteAsync(aborted);
                        }
                        catch (Exception ex) when (ex is IOException or OperationCanceledException)
                        {
                            result = new ExchangeResult(ForwarderError.ResponseBodyClient, ex, result.StatusCode);
                        }
                    }

                    Record(index, result, response, started);
                }
                finally
                {
                    metrics[index].Exit();
                }

                var outcome = AttemptClassifier.Classify(result.Error, result.Exception);
                health.Report(cluster, destination, outcome);
                if (result.Succeeded)
                {
                    return keepAlive;
                }

                if (response.HasStarted || aborted.IsCancellationRequested)
                {
                    // Part of the response is out (or the client is gone): like Kestrel's path, the connection is aborted.
                    return false;
                }

                if (outcome != AttemptOutcome.ConnectFailure)
                {
                    var failed = errors.DestinationFailedAsync(request, response, StatusOf(result), destination.DestinationId, keepAlive, aborted);
                    return await AnsweredAsync(failed, keepAlive);
                }

                var other = attempt < MaxAttempts ? admission.PickOther(cluster, destination, request.UserId) : null;
                if (other is null)
                {
                    Forwarding.Log.NoDestinationAfterConnectFailure(logger, destination.DestinationId);
                    return await AnsweredAsync(errors.NoDestinationAsync(request, response, keepAlive, aborted), keepAlive);
                }

                Forwarding.Log.RetryingAfterConnectFailure(logger, destination.DestinationId, other.DestinationId);
                destination = other;
            }
        }
        finally
        {
            inFlight.Decrement();
        }
    }

    private BackendEndpoint EndpointOf(DestinationState destination) =>
        endpoints.For(destination.Model.Config.Address)
            ?? throw new InvalidOperationException($"Destination {destination.DestinationId} is not a plain-HTTP address; the lane cannot serve it.");

    /// <summary>The attempt's status (what the client saw, or what the gateway answers for a failure) and latency, in the destination's metrics.</summary>
    private void Record(int index, ExchangeResult result, LaneResponse response, long started)
    {
        var status = result.Succeeded ? result.StatusCode : response.HasStarted ? response.StatusCode : StatusOf(result);
        metrics.Record(index, status, AttemptClassifier.Classify(result.Error, result.Exception), timeProvider.GetElapsedTime(started));
    }

    /// <summary>What Kestrel's path answers for a failed attempt (see <see cref="Http1Forwarder"/>).</summary>
    private static int StatusOf(ExchangeResult result) => result.Error switch
    {
        ForwarderError.RequestTimedOut => StatusCodes.Status504GatewayTimeout,
        ForwarderError.RequestBodyClient => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status502BadGateway,
    };

    /// <summary>Waits for the gateway's own answer; false when the client went away while it was written.</summary>
    private static async ValueTask<bool> AnsweredAsync(Task writing, bool keepAlive)
    {
        try
        {
            await writing;
            return keepAlive;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
