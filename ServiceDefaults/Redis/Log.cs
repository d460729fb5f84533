using Microsoft.Extensions.Logging;

namespace Evergreen.ServiceDefaults.Redis;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Redis at {Endpoints} is not reachable yet; the client keeps trying in the background.")]
    public static partial void NotConnectedYet(ILogger logger, string endpoints);

    [LoggerMessage(2, LogLevel.Warning, "Connecting to Redis at {Endpoints} failed; trying again in {Delay}.")]
    public static partial void ConnectFailed(ILogger logger, string endpoints, TimeSpan delay, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "Redis {ConnectionType} connection to {Endpoint} lost ({FailureType}): {Error}")]
    public static partial void ConnectionLost(ILogger logger, string connectionType, string endpoint, string failureType, string? error);

    [LoggerMessage(4, LogLevel.Information, "Redis {ConnectionType} connection to {Endpoint} restored.")]
    public static partial void ConnectionRestored(ILogger logger, string connectionType, string endpoint);

    [LoggerMessage(5, LogLevel.Warning, "Re-subscribing after the Redis connection came back failed; trying again shortly.")]
    public static partial void ResubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(6, LogLevel.Error, "A ConnectionRestored handler threw.")]
    public static partial void ConnectionRestoredHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(7, LogLevel.Error, "A handler of Redis channel {Channel} threw; the next message is delivered as usual.")]
    public static partial void HandlerFailed(ILogger logger, string channel, Exception exception);
}
