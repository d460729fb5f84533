using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Evergreen.AppHost.Hosting;
using Evergreen.Testing;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Evergreen.AppHost.Tests.Telemetry;

/// <summary>
/// An AppHost with an empty model (just the control API and its OTLP receiver), fed by the real exporter, queried
/// through <c>/api/traces</c> and <c>/api/logs/structured</c>.
/// </summary>
public sealed class TelemetryApiTests : IAsyncLifetime
{
    private const string Token = "telemetry-test-token";
    private readonly string _dataFolder = Directory.CreateTempSubdirectory("evergreen-telemetry-").FullName;
    private readonly string _sourceName = "test-" + Guid.NewGuid().ToString("N");
    private IDistributedApplicationBuilder? _builder;
    private DistributedApplication? _app;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Uri OtlpEndpoint => new(_builder!.OtlpEndpoint!);

    public async ValueTask InitializeAsync()
    {
        _builder = DistributedApplication.CreateBuilder(["--AppHost:RandomPorts=true", $"--AppHost:DataFolder={_dataFolder}", $"--Evergreen:AdminToken={Token}"]);
        _app = _builder.Build();
        await _app.StartAsync(Ct).DefaultTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_dataFolder, recursive: true);
    }

    [Fact]
    public void Build_NoOtlpEndpointConfigured_ServicesExportToTheLaunchersReceiver()
    {
        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", _builder!.OtlpEndpoint);
        Assert.False(Evergreen.AppHost.Hosting.Network.PortAvailability.IsFree(OtlpEndpoint.Port), "the receiver listens on the endpoint given to services");
    }

    [Fact]
    public async Task GetTraces_AfterExport_ListsTraceAndItsWaterfall()
    {
        var (parent, child) = ExportParentAndFailingChild();
        using var client = CreateClient();

        var traces = await client.GetFromJsonAsync<List<TraceSummaryDto>>("/api/traces?service=checkout", Ct).DefaultTimeout();
        var detail = await client.GetFromJsonAsync<TraceDetailDto>($"/api/traces/{parent.TraceId.ToHexString()}", Ct).DefaultTimeout();
        var otherService = await client.GetFromJsonAsync<List<TraceSummaryDto>>("/api/traces?service=nobody", Ct).DefaultTimeout();

        var trace = Assert.Single(traces!);
        Assert.Equal(parent.TraceId.ToHexString(), trace.TraceId);
        Assert.Equal("POST /orders", trace.RootName);
        Assert.Equal("checkout", trace.RootService);
        Assert.Equal(["checkout"], trace.Services);
        Assert.Equal(2, trace.SpanCount);
        Assert.True(trace.HasError);
        Assert.Equal(30, trace.DurationMs, precision: 3);
        Assert.Empty(otherService!);

        Assert.Equal(["POST /orders", "charge card"], detail!.Spans.Select(s => s.Name));
        Assert.Null(detail.Spans[0].ParentSpanId);
        Assert.Equal(parent.SpanId.ToHexString(), detail.Spans[1].ParentSpanId);
        Assert.Equal(child.SpanId.ToHexString(), detail.Spans[1].SpanId);
        Assert.Equal(["Server", "Client"], detail.Spans.Select(s => s.Kind));
        Assert.Equal(["Unset", "Error"], detail.Spans.Select(s => s.Status));
        Assert.Equal("card declined", detail.Spans[1].StatusMessage);
    }

    [Fact]
    public async Task GetStructuredLogs_AfterExport_FiltersByServiceAndMinimumSeverity()
    {
        foreach (var service in new[] { "checkout", "inventory" })
        {
            using var logging = OtlpTestExporters.CreateLoggerFactory(OtlpEndpoint, service);
            var logger = logging.CreateLogger("Orders");
            logger.LogInformation("{Service} started", service);
            logger.LogError("{Service} lost its database", service);
        }

        using var client = CreateClient();

        var errors = await client.GetFromJsonAsync<List<LogDto>>("/api/logs/structured?severity=error", Ct).DefaultTimeout();
        var checkout = await client.GetFromJsonAsync<List<LogDto>>("/api/logs/structured?service=checkout", Ct).DefaultTimeout();

        Assert.Equal(["inventory lost its database", "checkout lost its database"], errors!.Select(l => l.Body));
        Assert.All(errors!, l => Assert.Equal(17, l.SeverityNumber));
        Assert.Equal(["checkout lost its database", "checkout started"], checkout!.Select(l => l.Body));
    }

    [Theory]
    [InlineData("/api/traces")]
    [InlineData("/api/traces/0123456789abcdef0123456789abcdef")]
    [InlineData("/api/logs/structured")]
    public async Task TelemetryApi_WithoutToken_Returns401(string path)
    {
        using var client = new HttpClient { BaseAddress = _app!.DashboardUrl };

        using var response = await client.GetAsync(path, Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/traces?limit=0")]
    [InlineData("/api/traces?limit=1001")]
    [InlineData("/api/logs/structured?limit=0")]
    [InlineData("/api/logs/structured?severity=loud")]
    [InlineData("/api/traces/not-a-trace-id")]
    public async Task TelemetryApi_BadInput_Returns400ProblemDetails(string path)
    {
        using var client = CreateClient();

        using var response = await client.GetAsync(path, Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GetTrace_Unknown_Returns404ProblemDetails()
    {
        using var client = CreateClient();

        using var response = await client.GetAsync("/api/traces/0123456789abcdef0123456789abcdef", Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private (Activity Parent, Activity Child) ExportParentAndFailingChild()
    {
        using var tracing = OtlpTestExporters.CreateTracerProvider(OtlpEndpoint, "checkout", _sourceName);
        using var source = new ActivitySource(_sourceName);
        var parent = source.StartActivity("POST /orders", ActivityKind.Server)!;
        var child = source.StartActivity("charge card", ActivityKind.Client)!;
        child.SetStatus(ActivityStatusCode.Error, "card declined");

        // Both spans' times are set from the parent's start, not measured: a pause between the two starts (a loaded box)
        // would otherwise let the child end after the parent and stretch the trace past its 30 ms.
        child.SetStartTime(parent.StartTimeUtc.AddMilliseconds(5));
        child.SetEndTime(parent.StartTimeUtc.AddMilliseconds(25));
        child.Stop();
        parent.SetEndTime(parent.StartTimeUtc.AddMilliseconds(30));
        parent.Stop();
        Assert.True(tracing.ForceFlush(10_000), "the exporter flushes within 10 s");
        return (parent, child);
    }

    private HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = _app!.DashboardUrl };
        client.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        return client;
    }

    private sealed record TraceSummaryDto(string TraceId, string RootName, string RootService, List<string> Services, DateTimeOffset StartTime, double DurationMs, int SpanCount, bool HasError);

    private sealed record TraceDetailDto(string TraceId, DateTimeOffset StartTime, double DurationMs, List<SpanDto> Spans);

    private sealed record SpanDto(string TraceId, string SpanId, string? ParentSpanId, string Name, string Kind, string ServiceName, double DurationMs, string Status, string? StatusMessage, bool IsError);

    private sealed record LogDto(DateTimeOffset Time, string ServiceName, int SeverityNumber, string SeverityText, string? Body, string? TraceId);
}
