namespace Evergreen.Gateway.Health;

/// <summary>Log messages of destination health.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Destination {DestinationId} marked unhealthy by passive checks ({Reason}); reactivation in {Period}.")]
    public static partial void MarkedUnhealthy(ILogger logger, string destinationId, string reason, TimeSpan period);
}
