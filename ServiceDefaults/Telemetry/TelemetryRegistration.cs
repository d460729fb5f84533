using Evergreen.ServiceDefaults.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;

namespace Evergreen.ServiceDefaults.Telemetry;

/// <summary>Wires tracing, metrics and logging to OpenTelemetry without the hosting or instrumentation packages.</summary>
internal static class TelemetryRegistration
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The logger category whose being enabled makes ASP.NET Core start a request Activity.</summary>
    private const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>Activity sources subscribed by name: the frameworks emit activities natively.</summary>
    public static readonly string[] ActivitySources = ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql", "Evergreen.*"];

    /// <summary>Meters subscribed by name.</summary>
    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "Npgsql", "Evergreen.*",
    ];

    public static void AddTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TelemetryProviders>();
        builder.Services.AddHostedService<TelemetryLifetimeService>();

        // Without an exporter every log record would be turned into an OpenTelemetry record and dropped.
        if (GetOtlpEndpoint(builder.Configuration) is null)
        {
            // ASP.NET Core starts an Activity for every request whenever its hosting-diagnostics logger is enabled (to
            // correlate log scopes), even with no listener; HttpClient then starts a child for each outgoing call and writes
            // traceparent into it. With no exporter nobody reads any of it, and in the gateway it was a fifth of the CPU of a
            // proxied request. That logger only writes the Information/Debug "Request starting/finished" lines, which the
            // services filter out anyway; errors are logged by Kestrel and the exception handler.
            builder.Logging.AddFilter(HostingDiagnosticsCategory, LogLevel.None);
            return;
        }

        builder.Logging.AddOpenTelemetry(options =>
        {
            options.IncludeFormattedMessage = true;
            options.IncludeScopes = true;
        });
        builder.Services.AddOptions<OpenTelemetryLoggerOptions>()
            .Configure<ServiceIdentity, IConfiguration>((options, identity, configuration) =>
            {
                options.SetResourceBuilder(CreateResource(identity));
                if (GetOtlpEndpoint(configuration) is { } endpoint)
                {
                    options.AddOtlpExporter(exporter => ConfigureExporter(exporter, endpoint, "v1/logs"));
                }
            });
    }

    public static ResourceBuilder CreateResource(ServiceIdentity identity) =>
        ResourceBuilder.CreateDefault().AddService(
            serviceName: identity.Name,
            serviceVersion: identity.Version,
            serviceInstanceId: identity.Replica ?? $"{Environment.MachineName}-{Environment.ProcessId}");

    /// <summary>The OTLP base address, or null when telemetry stays in-process.</summary>
    public static Uri? GetOtlpEndpoint(IConfiguration configuration)
    {
        var text = configuration[OtlpEndpointKey];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var endpoint))
        {
            throw new InvalidOperationException(
                $"{OtlpEndpointKey} = '{text}' is not an absolute URI such as http://127.0.0.1:4318.");
        }

        return endpoint.AbsolutePath.EndsWith('/') ? endpoint : new Uri(endpoint + "/");
    }

    /// <summary>
    /// http/protobuf with the signal path appended, as the OTLP specification describes for the generic endpoint
    /// variable (the exporter only appends it itself when it reads the variable, not when the endpoint is set in code).
    /// </summary>
    public static void ConfigureExporter(OtlpExporterOptions exporter, Uri endpoint, string signalPath)
    {
        exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = new Uri(endpoint, signalPath);
    }
}
