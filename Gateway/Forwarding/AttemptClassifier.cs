using System.Net.Http;
using Evergreen.Gateway.Metrics;
using Yarp.ReverseProxy.Forwarder;

namespace Evergreen.Gateway.Forwarding;

/// <summary>Reads YARP's <see cref="IForwarderErrorFeature"/> after an attempt and says how it ended.</summary>
internal static class AttemptClassifier
{
    public static AttemptOutcome Classify(IForwarderErrorFeature? error) =>
        error is null ? AttemptOutcome.Answered : Classify(error.Error, error.Exception);

    public static AttemptOutcome Classify(ForwarderError error, Exception? exception) => error switch
    {
        ForwarderError.None => AttemptOutcome.Answered,

        // The request never left the gateway (a connection could not be made): the only failures safe to retry.
        ForwarderError.Request when IsConnectFailure(exception) => AttemptOutcome.ConnectFailure,
        ForwarderError.RequestTimedOut when IsConnectTimeout(exception) => AttemptOutcome.ConnectFailure,

        // The destination's side broke after the request may have reached it.
        ForwarderError.Request or ForwarderError.RequestTimedOut or ForwarderError.RequestBodyDestination
            or ForwarderError.ResponseHeaders or ForwarderError.ResponseBodyDestination
            or ForwarderError.UpgradeRequestDestination or ForwarderError.UpgradeResponseDestination
            or ForwarderError.UpgradeActivityTimeout => AttemptOutcome.TransportFailure,

        // The client went away or sent a bad body: the status code YARP set (4xx) tells it; not the destination's fault.
        _ => AttemptOutcome.Answered,
    };

    /// <summary>True when the exception says no connection could be established (refused, unreachable, name not found).</summary>
    public static bool IsConnectFailure(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// SocketsHttpHandler reports its <c>ConnectTimeout</c> as a cancellation wrapping a <see cref="TimeoutException"/>;
    /// YARP's own activity time-out is a plain cancellation, which may have reached the destination.
    /// </summary>
    private static bool IsConnectTimeout(Exception? exception) =>
        exception is OperationCanceledException { InnerException: TimeoutException };
}
