using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Evergreen.ServiceDefaults.ServiceDiscovery;

/// <summary>The <see cref="IServiceEndpointResolver"/> over the application's configuration.</summary>
internal sealed class ConfigurationServiceEndpointResolver(IConfiguration configuration) : IServiceEndpointResolver
{
    public Uri Resolve(string serviceName) => ServiceEndpoints.Resolve(configuration, serviceName);

    public bool TryResolve(string serviceName, [NotNullWhen(true)] out Uri? endpoint) =>
        ServiceEndpoints.TryResolve(configuration, serviceName, out endpoint);
}

/// <summary>Registration of configuration-based service discovery.</summary>
internal static class ServiceDiscoveryRegistration
{
    public static void AddConfigurationServiceDiscovery(this IServiceCollection services) =>
        services.TryAddSingleton<IServiceEndpointResolver, ConfigurationServiceEndpointResolver>();
}
