using Microsoft.Extensions.Logging;

namespace Evergreen.ServiceDefaults.Http;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "HTTP client '{ClientName}': retry {Retry} of {MaxRetries} in {Delay} after {Failure}.")]
    public static partial void Retrying(ILogger logger, string clientName, int retry, int maxRetries, TimeSpan delay, string failure);
}
