using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Evergreen.ServiceDefaults.Tests.TestSupport;
using Evergreen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Evergreen.ServiceDefaults.Tests.Telemetry;

/// <summary>Exports to a fake OTLP/HTTP receiver (real Kestrel) and looks for known strings in the protobuf payloads.</summary>
public sealed class OtlpExportTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StopAsync_OtlpEndpointSet_ExportsRequestSpansButNoHealthProbes()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var serviceName = $"otlp-test-{Guid.NewGuid():N}";
        await using (var server = await TestApp.StartAsync(
            settings: Settings(receiver, serviceName),
            map: app => app.MapGet("/work/{id}", (int id) => id)))
        {
            (await server.Client.GetAsync("/work/42", Token).DefaultTimeout()).Dispose();
            (await server.Client.GetAsync("/health/ready", Token).DefaultTimeout()).Dispose();
            (await server.Client.GetAsync("/health", Token).DefaultTimeout()).Dispose();
        }

        // Stopping disposed the tracer provider, which flushed the batch.
        // Server spans carry url.path; client spans (this test's HttpClient, and other tests' in this process,
        // since activity listeners are process-wide) carry url.full instead.
        var traces = receiver.Payloads("/v1/traces");
        Assert.Contains(traces, p => p.Contains(serviceName, StringComparison.Ordinal));
        Assert.Contains(traces, p => p.Contains("GET /work/{id}", StringComparison.Ordinal) && p.Contains("http.route", StringComparison.Ordinal));
        Assert.Contains(traces, p => ServerSpanPath("/work/42").IsMatch(p));
        Assert.DoesNotContain(traces, p => ServerSpanPath("/health").IsMatch(p));
    }

    [Fact]
    public async Task DisposeAsync_OtlpEndpointSet_ExportsMetricsAndLogs()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var serviceName = $"otlp-test-{Guid.NewGuid():N}";
        await using (var server = await TestApp.StartAsync(
            settings: Settings(receiver, serviceName),
            map: app => app.MapGet("/log", (ILogger<OtlpExportTests> logger) =>
            {
                logger.LogWarning("marker-{Marker}", "5f0c2a");
                return "logged";
            })))
        {
            (await server.Client.GetAsync("/log", Token).DefaultTimeout()).Dispose();
        }

        Assert.Contains(receiver.Payloads("/v1/metrics"), p => p.Contains("http.server.request.duration", StringComparison.Ordinal));
        Assert.Contains(receiver.Payloads("/v1/logs"), p => p.Contains("marker-5f0c2a", StringComparison.Ordinal));
    }

    // In this class because activity listeners are process-wide: the exporting tests above must not run at the same time.
    [Fact]
    public async Task Request_NoOtlpEndpoint_StartsNoActivityAndSendsNoTraceparent()
    {
        await using var server = await TestApp.StartAsync(
            configure: b => b.Logging.AddProvider(new CapturingLoggerProvider()),
            map: app =>
            {
                app.MapGet("/traceparent", (HttpRequest request) => request.Headers.ContainsKey("traceparent") ? "present" : "absent");
                app.MapGet("/outgoing", async (HttpContext context) =>
                {
                    using var client = new HttpClient();
                    var self = new Uri($"{context.Request.Scheme}://{context.Request.Host}/traceparent");
                    var traceparent = await client.GetStringAsync(self, context.RequestAborted);
                    return $"activity={(System.Diagnostics.Activity.Current is null ? "none" : "started")} traceparent={traceparent}";
                });
            });

        var answer = await server.Client.GetStringAsync("/outgoing", Token).DefaultTimeout();

        Assert.Equal("activity=none traceparent=absent", answer);
    }

    /// <summary>The protobuf of attribute url.path = path: the key, four framing bytes, then the value.</summary>
    private static Regex ServerSpanPath(string path) => new($@"url\.path[\s\S]{{4}}{Regex.Escape(path)}", RegexOptions.CultureInvariant);

    private static Dictionary<string, string?> Settings(OtlpReceiver receiver, string serviceName) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Address.ToString(),
        ["OTEL_SERVICE_NAME"] = serviceName,
    };

    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly ConcurrentQueue<(string Path, string Body)> _received = new();
        private TestApp? _app;

        public Uri Address => _app!.Address;

        public static async Task<OtlpReceiver> StartAsync()
        {
            var receiver = new OtlpReceiver();
            receiver._app = await TestApp.StartAsync(serviceDefaults: false, map: app => app.MapPost("/v1/{signal}", async (HttpContext context) =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);

                // Protobuf keeps strings as raw UTF-8, so Latin-1 decoding preserves them byte for byte.
                receiver._received.Enqueue((context.Request.Path, Encoding.Latin1.GetString(buffer.ToArray())));
                context.Response.ContentType = "application/x-protobuf";
            }));
            return receiver;
        }

        public IReadOnlyList<string> Payloads(string path) =>
            _received.Where(r => r.Path == path).Select(r => r.Body).ToList();

        public ValueTask DisposeAsync() => _app?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
