using Evergreen.Gateway.Admin;
using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Forwarding;
using Evergreen.Gateway.Forwarding.Http1;
using Evergreen.Gateway.Health;
using Evergreen.Gateway.Lane;
using Evergreen.Gateway.Lane.Transport;
using Microsoft.AspNetCore.Connections;
using Evergreen.Gateway.Metrics;
using Evergreen.Gateway.Routing;
using Evergreen.ServiceDefaults.Health;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace Evergreen.Gateway.Extensions;

/// <summary>Registration of the gateway: YARP with weighted routing, health, drain and metrics, and the admin API.</summary>
internal static class GatewayExtensions
{
    /// <summary>Reads <c>Gateway:*</c> and the <c>services:agentruntime*</c> addresses and registers the proxy.</summary>
    /// <exception cref="InvalidOperationException">A destination or option is misconfigured (the message names the key).</exception>
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        var options = GatewayOptions.Read(builder.Configuration);
        var catalog = DestinationCatalog.FromConfiguration(builder.Configuration, options);
        var services = builder.Services;

        services.AddSingleton(options);
        services.AddSingleton(catalog);
        services.AddSingleton<DestinationWeights>();
        services.AddSingleton<StickyAssignment>();
        services.AddSingleton<RoutingTableCache>();
        services.AddSingleton<DestinationSelector>();
        services.AddSingleton<DestinationMetricsRegistry>();
        services.AddSingleton<ApiKeyValidator>();
        services.AddSingleton<GatewayResponses>();
        services.AddSingleton<DestinationStatusReader>();
        services.AddSingleton<DrainCoordinator>();
        services.AddSingleton<MetricsReportBuilder>();
        services.AddSingleton<DestinationAdmission>();
        services.AddSingleton<ILoadBalancingPolicy, WeightedLoadBalancingPolicy>();
        services.AddSingleton<TransportFailureHealthPolicy>();
        services.AddSingleton<IPassiveHealthCheckPolicy>(sp => sp.GetRequiredService<TransportFailureHealthPolicy>());
        services.AddSingleton<IHealthInfoContributor, GatewayHealthInfo>();

        services.AddReverseProxy()
            .LoadFromMemory(ProxyConfigFactory.Routes(), ProxyConfigFactory.Clusters(options, catalog))
            .ConfigureHttpClient((_, handler) => handler.ConnectTimeout = options.ConnectTimeout);
        UseHttp1Forwarder(services);
        AddConnectionLane(services);

        // Kestrel's limits (Kestrel:Limits:KeepAliveTimeout, …) from configuration: the lane applies its time-outs too.
        services.Configure<KestrelServerOptions>(builder.Configuration.GetSection("Kestrel"));

        // First of all startup filters, so the proxy lane runs ahead of the service defaults' middleware (see ProxyLane).
        services.AddSingleton<ProxyRouteEndpoint>();
        services.Insert(0, ServiceDescriptor.Singleton<IStartupFilter, ProxyLaneStartupFilter>());
        return builder;
    }

    /// <summary>
    /// Puts <see cref="Http1Forwarder"/> in front of YARP's forwarder: plain HTTP/1.1 requests go over the gateway's own
    /// pooled connections, the rest (upgrades, https or HTTP/2 destinations) still through YARP's.
    /// </summary>
    private static void UseHttp1Forwarder(IServiceCollection services)
    {
        var yarp = services.Last(d => d.ServiceType == typeof(IHttpForwarder));
        services.Remove(yarp);
        services.AddSingleton<BackendEndpoints>();
        services.AddSingleton<IHttpForwarder>(sp => ActivatorUtilities.CreateInstance<Http1Forwarder>(sp, YarpForwarder(sp, yarp)));
    }

    /// <summary>Serves plain <c>/v1</c> requests below Kestrel's transport and HTTP layer, on every HTTP/1.1 endpoint (see <see cref="ConnectionLane"/>).</summary>
    private static void AddConnectionLane(IServiceCollection services)
    {
        services.AddSingleton<LaneRequestParser>();
        services.AddSingleton<LaneErrors>();
        services.AddSingleton<LaneForwarder>();
        services.AddSingleton<LaneTimeouts>();
        services.AddSingleton<LaneStatistics>();
        services.AddSingleton<LaneParts>();
        services.AddSingleton<ConnectionLane>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>>(sp => new ConfigureOptions<KestrelServerOptions>(
            kestrel => kestrel.ConfigureEndpointDefaults(listen => sp.GetRequiredService<ConnectionLane>().Apply(listen))));

        // After Kestrel's socket transport, which the builder registered already: Kestrel tries the last one first.
        services.AddSingleton<IConnectionListenerFactory, LaneTransportFactory>();
    }

    private static IHttpForwarder YarpForwarder(IServiceProvider services, ServiceDescriptor yarp) =>
        (IHttpForwarder)(yarp.ImplementationInstance
            ?? yarp.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, yarp.ImplementationType!));

    /// <summary>
    /// Gives every response <c>X-Evergreen-Destination: gateway</c> unless a destination produced it (the proxy pipeline
    /// then names the destination), so clients and tests can always tell who answered.
    /// </summary>
    public static IApplicationBuilder UseDestinationHeader(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            context.Response.Headers[GatewayResponses.DestinationHeader] = GatewayResponses.GatewayValue;
            return next(context);
        });

    /// <summary>Maps <c>/admin/destinations</c> and <c>/admin/metrics</c> (admin bearer token required).</summary>
    public static IEndpointRouteBuilder MapGatewayAdminApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapDestinationsApi();
        endpoints.MapMetricsApi();
        return endpoints;
    }

    /// <summary>
    /// Maps <c>/v1/**</c> through the proxy pipeline: admission (API key, body limit, buffering) → candidate selection
    /// (routable destinations or the stream session's owner) → YARP load balancing (<see cref="WeightedLoadBalancingPolicy"/>)
    /// → forwarding step (in-flight accounting, metrics, connect-failure retry) → passive health → forwarder.
    /// </summary>
    public static IEndpointRouteBuilder MapGatewayProxy(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapReverseProxy(pipeline =>
        {
            pipeline.UseMiddleware<RequestAdmissionStep>();
            pipeline.UseMiddleware<CandidateSelectionStep>();
            pipeline.UseLoadBalancing();
            pipeline.UseMiddleware<ForwardingStep>();
            pipeline.UsePassiveHealthChecks();
        });
        return endpoints;
    }

    private sealed class ProxyLaneStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<ProxyLane>();
            next(app);
        };
    }
}
