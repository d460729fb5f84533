using System.Net;
using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Extensions;
using Evergreen.Gateway.Forwarding.Http1;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Forwarder;

namespace Evergreen.Bench.BareForwarder;

/// <summary>
/// The floors under the gateway: a forwarder called from the first middleware of a slim Kestrel host, no routing table,
/// no health checks, no metrics, no telemetry; 7 of every 10 requests to the first backend, 3 to the second (the
/// benchmark's 70/30). <c>--forwarder yarp</c> (default) is YARP's stock, HttpClient-based <see cref="IHttpForwarder"/>;
/// <c>--forwarder evergreen</c> is the gateway's own <see cref="Http1Forwarder"/> with the gateway's inline socket
/// completions. The gateway can only be slower than the second, so the gap between the gateway and that floor is what
/// the gateway's features and YARP's pipeline cost, and the gap between the floor and the raw-socket proxy
/// (bench/gateway/RawProxy) is what ASP.NET Core's server stack costs.
/// </summary>
internal static class BareForwarderProgram
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var ownForwarder = (builder.Configuration["forwarder"] ?? "yarp") switch
        {
            "yarp" => false,
            "evergreen" => true,
            var other => throw new InvalidOperationException($"--forwarder {other}: pass yarp or evergreen."),
        };
        if (ownForwarder)
        {
            InlineIo.EnableUnlessDisabled();
        }

        builder.Logging.ClearProviders();
        builder.Services.AddHttpForwarder();
        var backends = (builder.Configuration["backends"] ?? throw new InvalidOperationException("Pass --backends http://a,http://b."))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var app = builder.Build();
        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        using var endpoints = new BackendEndpoints(TimeProvider.System);
        if (ownForwarder)
        {
            forwarder = new Http1Forwarder(forwarder, endpoints, new GatewayOptions(), NullLogger<Http1Forwarder>.Instance);
        }

        using var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
        var requestConfig = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(100) };
        var counter = 0;

        // The first middleware, as the gateway's proxy lane is: a /v1 request never reaches endpoint routing.
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
                return;
            }

            var backend = backends[Interlocked.Increment(ref counter) % 10 < 7 ? 0 : backends.Length - 1];
            await forwarder.SendAsync(context, backend, client, requestConfig, HttpTransformer.Default);
        });
        app.MapGet("/health/ready", () => "ready");
        app.Run();
    }
}
