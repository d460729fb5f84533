namespace Evergreen.Gateway.Forwarding;

/// <summary>Log messages of the forwarding path.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Connecting to destination {Failed} failed before any byte was sent; retrying once on {Other}.")]
    public static partial void RetryingAfterConnectFailure(ILogger logger, string failed, string other);

    [LoggerMessage(2, LogLevel.Warning, "Connecting to destination {Failed} failed and no other destination is left; answering 503.")]
    public static partial void NoDestinationAfterConnectFailure(ILogger logger, string failed);
}
