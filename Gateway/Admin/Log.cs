namespace Evergreen.Gateway.Admin;

/// <summary>Log messages of the admin API.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Draining destination {DestinationId} (weight 0), waiting up to {Timeout} for in-flight requests.")]
    public static partial void DrainStarted(ILogger logger, string destinationId, TimeSpan timeout);

    [LoggerMessage(2, LogLevel.Information, "Drain of {DestinationId} ended: drained {Drained}, {InFlight} in flight, waited {WaitedMs} ms.")]
    public static partial void DrainEnded(ILogger logger, string destinationId, bool drained, long inFlight, long waitedMs);

    [LoggerMessage(3, LogLevel.Information, "Destination weights set: {Weights}.")]
    public static partial void WeightsChanged(ILogger logger, string weights);
}
