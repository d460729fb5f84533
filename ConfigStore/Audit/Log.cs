namespace Evergreen.ConfigStore.Audit;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Purged {Count} audit entries older than {Cutoff:O} (retention {Retention}).")]
    public static partial void Purged(ILogger logger, int count, DateTimeOffset cutoff, TimeSpan retention);

    [LoggerMessage(2, LogLevel.Warning, "Purging old audit entries failed; retrying in {Interval}: {Error}")]
    public static partial void PurgeFailed(ILogger logger, TimeSpan interval, string error, Exception exception);
}
