using Evergreen.ServiceDefaults.Hosting;
using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Evergreen.ServiceDefaults.Telemetry;

/// <summary>
/// The tracer and meter providers of the process. A DI singleton: created when the host starts
/// (<see cref="TelemetryLifetimeService"/> asks for it) and disposed, which flushes the exporters, when the host
/// has stopped. Dispose is idempotent, so the container disposing it again is harmless.
/// </summary>
internal sealed class TelemetryProviders : IDisposable
{
    private readonly TracerProvider _tracerProvider;
    private readonly MeterProvider _meterProvider;
    private int _disposed;

    public TelemetryProviders(ServiceIdentity identity, IConfiguration configuration)
    {
        var endpoint = TelemetryRegistration.GetOtlpEndpoint(configuration);

        var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(TelemetryRegistration.CreateResource(identity));
        var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(TelemetryRegistration.CreateResource(identity));

        // Subscribing is what makes ASP.NET Core, HttpClient and Npgsql create and fill activities and measurements
        // on every request; with nowhere to send them that is pure hot-path cost (about a quarter of the gateway's
        // CPU per proxied request), so sources and meters are subscribed only when an exporter is configured.
        if (endpoint is not null)
        {
            tracing.AddSource(TelemetryRegistration.ActivitySources)
                .AddOtlpExporter(o => TelemetryRegistration.ConfigureExporter(o, endpoint, "v1/traces"));
            metrics.AddMeter(TelemetryRegistration.Meters)
                .AddOtlpExporter(o => TelemetryRegistration.ConfigureExporter(o, endpoint, "v1/metrics"));
        }

        _tracerProvider = tracing.Build();
        _meterProvider = metrics.Build();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _tracerProvider.Dispose();
        _meterProvider.Dispose();
    }
}
