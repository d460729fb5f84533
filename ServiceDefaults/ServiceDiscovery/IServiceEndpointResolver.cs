using System.Diagnostics.CodeAnalysis;

namespace Evergreen.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Finds the base address of another service from configuration, in the Aspire form
/// <c>services:&lt;name&gt;:https:0</c> / <c>services:&lt;name&gt;:http:0</c>
/// (environment <c>services__&lt;name&gt;__http__0</c>). Registered as a singleton by <c>AddServiceDefaults</c>;
/// thread-safe; reads configuration on every call, so reloaded values apply to clients created afterwards.
/// </summary>
public interface IServiceEndpointResolver
{
    /// <summary>Returns the base address of <paramref name="serviceName"/>; https is preferred when both are set.</summary>
    /// <param name="serviceName">The service's resource name, for example <c>configstore</c>.</param>
    /// <returns>An absolute URI whose path ends with '/', so relative request paths append to it.</returns>
    /// <exception cref="InvalidOperationException">When no address is configured or it is not an absolute URI.</exception>
    Uri Resolve(string serviceName);

    /// <summary>Like <see cref="Resolve"/>, but returns false instead of throwing when no address is configured.</summary>
    /// <param name="serviceName">The service's resource name.</param>
    /// <param name="endpoint">The base address, when found.</param>
    /// <returns>True when an address is configured.</returns>
    /// <exception cref="InvalidOperationException">When an address is configured but is not an absolute URI.</exception>
    bool TryResolve(string serviceName, [NotNullWhen(true)] out Uri? endpoint);
}
