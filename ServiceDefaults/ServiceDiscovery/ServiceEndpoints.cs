using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace Evergreen.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Static form of <see cref="IServiceEndpointResolver"/> for code that holds an <see cref="IConfiguration"/> but no
/// service provider (for example while building the host). Same rules and errors.
/// </summary>
public static class ServiceEndpoints
{
    private static readonly string[] Schemes = ["https", "http"];

    /// <summary>Returns the base address of <paramref name="serviceName"/> from <paramref name="configuration"/>.</summary>
    /// <param name="configuration">Configuration holding <c>services:&lt;name&gt;:&lt;scheme&gt;:0</c>.</param>
    /// <param name="serviceName">The service's resource name, for example <c>configstore</c>.</param>
    /// <returns>An absolute URI whose path ends with '/'.</returns>
    /// <exception cref="InvalidOperationException">When no address is configured or it is not an absolute URI.</exception>
    public static Uri Resolve(IConfiguration configuration, string serviceName) =>
        TryResolve(configuration, serviceName, out var endpoint)
            ? endpoint
            : throw new InvalidOperationException(
                $"Service '{serviceName}' has no address: set services__{serviceName}__http__0 (configuration key services:{serviceName}:http:0).");

    /// <summary>Returns false when <paramref name="serviceName"/> has no configured address.</summary>
    /// <param name="configuration">Configuration holding <c>services:&lt;name&gt;:&lt;scheme&gt;:0</c>.</param>
    /// <param name="serviceName">The service's resource name.</param>
    /// <param name="endpoint">The base address, when found.</param>
    /// <returns>True when an address is configured.</returns>
    /// <exception cref="InvalidOperationException">When the configured address is not an absolute URI.</exception>
    public static bool TryResolve(IConfiguration configuration, string serviceName, [NotNullWhen(true)] out Uri? endpoint)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);

        foreach (var scheme in Schemes)
        {
            var key = $"services:{serviceName}:{scheme}:0";
            var text = configuration[key];
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidOperationException(
                    $"Service '{serviceName}' has an invalid address '{text}' in {key}: expected an absolute http(s) URI such as http://127.0.0.1:5100.");
            }

            endpoint = uri.AbsolutePath.EndsWith('/') ? uri : new UriBuilder(uri) { Path = uri.AbsolutePath + "/" }.Uri;
            return true;
        }

        endpoint = null;
        return false;
    }
}
