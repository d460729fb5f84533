using Evergreen.ServiceDefaults.Health;
using Evergreen.ServiceDefaults.Hosting;
using Evergreen.ServiceDefaults.Http;
using Evergreen.ServiceDefaults.Lifetime;
using Evergreen.ServiceDefaults.Security;
using Evergreen.ServiceDefaults.ServiceDiscovery;
using Evergreen.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The defaults every Evergreen service shares: OpenTelemetry, health endpoints, graceful shutdown,
/// service discovery from configuration, HTTP client resilience, admin authentication and problem details.
/// Shaped like the .NET Aspire service-defaults template.
/// </summary>
public static class Extensions
{
    /// <summary>
    /// Registers the service defaults. Call once, first thing after creating the builder; further calls do nothing.
    /// </summary>
    /// <remarks>
    /// Registers OpenTelemetry tracing, metrics and logging (exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
    /// is set), health checks, <see cref="Evergreen.ServiceDefaults.Lifetime.ServiceLifecycle"/>,
    /// <see cref="InFlightRequests"/>, <see cref="Evergreen.ServiceDefaults.ServiceDiscovery.IServiceEndpointResolver"/>,
    /// resilience for every <see cref="HttpClient"/> made by <see cref="System.Net.Http.IHttpClientFactory"/>,
    /// the admin bearer-token scheme used by <see cref="AdminEndpointConventionBuilderExtensions.RequireAdmin{TBuilder}"/>,
    /// problem details with an exception handler and status code pages, and sets
    /// <see cref="HostOptions.ShutdownTimeout"/> from <c>Evergreen:ShutdownGracePeriod</c> (default 60 s).
    /// </remarks>
    /// <typeparam name="TBuilder">The host builder type.</typeparam>
    /// <param name="builder">The application's builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(ServiceDefaultsMarker)))
        {
            return builder;
        }

        builder.Services.AddSingleton<ServiceDefaultsMarker>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => ServiceIdentity.From(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));

        builder.AddTelemetry();
        builder.Services.AddLifetimeDefaults();
        builder.Services.AddHealthDefaults();
        builder.Services.AddConfigurationServiceDiscovery();
        builder.Services.AddHttpClientResilienceDefaults();
        builder.Services.AddAdminAuthentication();

        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<IStartupFilter, ServiceDefaultsStartupFilter>();
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (liveness), <c>/health/ready</c> (readiness) and <c>/health/info</c>, in every environment,
    /// without authentication. Requires <see cref="AddServiceDefaults{TBuilder}"/>.
    /// </summary>
    /// <param name="app">The web application.</param>
    /// <returns>The same application, for chaining.</returns>
    /// <exception cref="InvalidOperationException">When <see cref="AddServiceDefaults{TBuilder}"/> was not called.</exception>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetService<ServiceDefaultsMarker>() is null)
        {
            throw new InvalidOperationException(
                "MapDefaultEndpoints needs the service defaults: call builder.AddServiceDefaults() before builder.Build().");
        }

        app.MapHealthEndpoints();
        return app;
    }

    private sealed class ServiceDefaultsMarker;
}
