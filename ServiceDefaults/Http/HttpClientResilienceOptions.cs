namespace Evergreen.ServiceDefaults.Http;

/// <summary>
/// Resilience applied to every <see cref="HttpClient"/> made by <see cref="IHttpClientFactory"/>.
/// Defaults come from configuration section <c>Evergreen:Http</c> (<c>TotalTimeout</c>, <c>MaxRetries</c>,
/// <c>RetryDelay</c>; durations in seconds or hh:mm:ss); one client can override them with
/// <c>AddHttpClient(name).ConfigureResilience(...)</c>. Options are read when a handler is built
/// (every handler lifetime, two minutes by default).
/// </summary>
public sealed class HttpClientResilienceOptions
{
    /// <summary>Configuration section holding the defaults.</summary>
    public const string SectionName = "Evergreen:Http";

    /// <summary>
    /// Gets or sets the time allowed for the whole call, retries and their delays included, up to the response
    /// headers. Zero or <see cref="Timeout.InfiniteTimeSpan"/> disables it. When it expires the call throws
    /// <see cref="TimeoutException"/>. Default 30 seconds.
    /// </summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how many times an idempotent request (GET, HEAD, OPTIONS) is retried after a connection failure
    /// or a 502/503/504 answer. Other methods are never retried. Default 2; 0 disables retries.
    /// </summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Gets or sets the base of the jittered exponential back-off between retries. Default 200 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}
