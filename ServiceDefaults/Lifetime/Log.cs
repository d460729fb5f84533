using Microsoft.Extensions.Logging;

namespace Evergreen.ServiceDefaults.Lifetime;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Draining: {Reason}. Readiness now answers 503.")]
    public static partial void DrainStarted(ILogger logger, string reason);

    [LoggerMessage(2, LogLevel.Information, "Drain ended. Readiness follows the health checks again.")]
    public static partial void DrainEnded(ILogger logger);

    [LoggerMessage(3, LogLevel.Information, "Shutting down: readiness now answers 503; in-flight requests run to completion (grace period {GracePeriod}).")]
    public static partial void ShuttingDown(ILogger logger, TimeSpan gracePeriod);

    [LoggerMessage(4, LogLevel.Information, "Waiting {Delay} before the server stops accepting connections, so load balancers see readiness 503 first.")]
    public static partial void DrainDelay(ILogger logger, TimeSpan delay);
}
