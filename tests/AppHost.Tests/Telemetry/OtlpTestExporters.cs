using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Evergreen.AppHost.Tests.Telemetry;

/// <summary>The real OpenTelemetry .NET SDK and OTLP exporter (http/protobuf), pointed at a receiver under test.</summary>
internal static class OtlpTestExporters
{
    public static TracerProvider CreateTracerProvider(Uri receiver, string serviceName, string sourceName) =>
        Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(serviceName))
            .AddSource(sourceName)
            .AddOtlpExporter(o => Configure(o, receiver, "v1/traces"))
            .Build();

    /// <summary>A logger factory exporting every record; disposing it flushes the exporter.</summary>
    public static ILoggerFactory CreateLoggerFactory(Uri receiver, string serviceName) =>
        LoggerFactory.Create(logging => logging.AddOpenTelemetry(options =>
        {
            options.IncludeFormattedMessage = true;
            options.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(serviceName));
            options.AddOtlpExporter(o => Configure(o, receiver, "v1/logs"));
        }));

    private static void Configure(OtlpExporterOptions options, Uri receiver, string signalPath)
    {
        options.Endpoint = new Uri(receiver, signalPath);
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
    }
}
