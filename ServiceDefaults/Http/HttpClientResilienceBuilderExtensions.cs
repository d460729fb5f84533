using Evergreen.ServiceDefaults.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>Per-client adjustments of the default HTTP resilience.</summary>
public static class HttpClientResilienceBuilderExtensions
{
    /// <summary>
    /// Overrides the default time-out and retries (<c>Evergreen:Http</c>) for this client only, for example a longer
    /// <see cref="HttpClientResilienceOptions.TotalTimeout"/> for a slow upstream. Applied after the configuration
    /// defaults, whatever the order of registration.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configure">Changes the options; called once per handler lifetime.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static IHttpClientBuilder ConfigureResilience(this IHttpClientBuilder builder, Action<HttpClientResilienceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.PostConfigure(builder.Name, configure);
        return builder;
    }
}
