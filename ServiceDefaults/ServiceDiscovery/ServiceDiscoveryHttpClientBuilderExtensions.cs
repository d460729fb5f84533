using Evergreen.ServiceDefaults.ServiceDiscovery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>Points <see cref="HttpClient"/>s at other Evergreen services by name.</summary>
public static class ServiceDiscoveryHttpClientBuilderExtensions
{
    /// <summary>
    /// Sets the client's <see cref="HttpClient.BaseAddress"/> to the address configured for
    /// <paramref name="serviceName"/> (<c>services__&lt;name&gt;__http__0</c>). The address is resolved each time
    /// a client is created, so a missing address fails the first request's client creation with an
    /// <see cref="InvalidOperationException"/> naming the variable to set.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="serviceName">The service's resource name, for example <c>configstore</c>.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static IHttpClientBuilder WithServiceBaseAddress(this IHttpClientBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        return builder.ConfigureHttpClient((services, client) =>
        {
            var resolver = services.GetService<IServiceEndpointResolver>()
                ?? new ConfigurationServiceEndpointResolver(services.GetRequiredService<IConfiguration>());
            client.BaseAddress = resolver.Resolve(serviceName);
        });
    }

    /// <summary>
    /// Registers the typed client <typeparamref name="TClient"/> with its base address taken from the configured
    /// address of <paramref name="serviceName"/>, plus the default resilience of every client.
    /// </summary>
    /// <typeparam name="TClient">The typed client; it receives the <see cref="HttpClient"/> in its constructor.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceName">The service's resource name, for example <c>configstore</c>.</param>
    /// <returns>The client builder, for further configuration.</returns>
    public static IHttpClientBuilder AddServiceHttpClient<TClient>(this IServiceCollection services, string serviceName)
        where TClient : class =>
        services.AddHttpClient<TClient>().WithServiceBaseAddress(serviceName);
}
