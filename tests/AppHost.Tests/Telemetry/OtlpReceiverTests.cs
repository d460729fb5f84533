using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Evergreen.AppHost.Hosting.Network;
using Evergreen.AppHost.Telemetry;
using Evergreen.Testing;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Evergreen.AppHost.Tests.Telemetry;

/// <summary>The OTLP/HTTP receiver on bytes from the real OpenTelemetry .NET exporter, and on bad input.</summary>
public sealed class OtlpReceiverTests : IAsyncLifetime
{
    private readonly string _sourceName = "test-" + Guid.NewGuid().ToString("N");
    private readonly OtlpReceiver _receiver = new(new TelemetryStore(), PortAvailability.GetFreePort());
    private readonly HttpClient _client = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _client.BaseAddress = _receiver.Url;
        await _receiver.StartAsync(Ct).DefaultTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public void Export_ParentAndChildSpan_StoresNamesParentLinkServiceAttributesDurationAndStatus()
    {
        using var tracing = OtlpTestExporters.CreateTracerProvider(_receiver.Url, "checkout", _sourceName);
        using var source = new ActivitySource(_sourceName);

        var parent = source.StartActivity("GET /orders/{id}", ActivityKind.Server)!;
        parent.SetTag("http.request.method", "GET");
        parent.SetTag("http.response.status_code", 500);
        parent.SetTag("retried", true);
        parent.SetTag("ratio", 0.25);
        var child = source.StartActivity("load order", ActivityKind.Internal)!;
        child.SetStatus(ActivityStatusCode.Error, "order store unavailable");
        child.SetEndTime(child.StartTimeUtc.AddMilliseconds(20));
        child.Stop();
        parent.SetEndTime(parent.StartTimeUtc.AddMilliseconds(30));
        parent.Stop();
        Assert.True(tracing.ForceFlush(10_000), "the exporter flushes within 10 s");

        var spans = _receiver.Store.GetSpans();
        Assert.Equal(2, spans.Count);
        var storedParent = Assert.Single(spans, s => s.Name == "GET /orders/{id}");
        var storedChild = Assert.Single(spans, s => s.Name == "load order");
        Assert.Equal(parent.TraceId.ToHexString(), storedParent.TraceId);
        Assert.Equal(parent.SpanId.ToHexString(), storedParent.SpanId);
        Assert.Null(storedParent.ParentSpanId);
        Assert.Equal(storedParent.TraceId, storedChild.TraceId);
        Assert.Equal(storedParent.SpanId, storedChild.ParentSpanId);
        Assert.All(spans, s => Assert.Equal("checkout", s.ServiceName));
        Assert.All(spans, s => Assert.Equal(_sourceName, s.Scope));
        Assert.Equal(OtlpSpanKind.Server, storedParent.Kind);
        Assert.Equal(OtlpSpanKind.Internal, storedChild.Kind);
        Assert.Equal("GET", storedParent.Attributes["http.request.method"]);
        Assert.Equal(500L, storedParent.Attributes["http.response.status_code"]);
        Assert.Equal(true, storedParent.Attributes["retried"]);
        Assert.Equal(0.25, storedParent.Attributes["ratio"]);
        Assert.Equal(OtlpStatusCode.Error, storedChild.Status);
        Assert.True(storedChild.IsError);
        Assert.Equal("order store unavailable", storedChild.StatusMessage);
        Assert.False(storedParent.IsError);
        Assert.Equal(20, storedChild.DurationMs, precision: 3);
        Assert.Equal(30, storedParent.DurationMs, precision: 3);
        Assert.Equal(parent.StartTimeUtc, storedParent.StartTime.UtcDateTime, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void Export_LogRecord_StoresBodySeverityAttributesScopeAndTraceContext()
    {
        var activity = new Activity("place order").Start();
        using (var loggerFactory = OtlpTestExporters.CreateLoggerFactory(_receiver.Url, "checkout"))
        {
            loggerFactory.CreateLogger("Checkout.Orders").LogWarning("Order {OrderId} failed after {Attempts} attempts", "A-17", 3);
        }

        activity.Stop();

        var log = Assert.Single(_receiver.Store.GetLogs());
        Assert.Equal("checkout", log.ServiceName);
        Assert.Equal("Checkout.Orders", log.Scope);
        Assert.Equal("Order A-17 failed after 3 attempts", log.Body);
        Assert.Equal(13, log.SeverityNumber);
        Assert.False(string.IsNullOrEmpty(log.SeverityText));
        Assert.Equal("A-17", log.Attributes["OrderId"]);
        Assert.Equal(3L, log.Attributes["Attempts"]);
        Assert.Equal(activity.TraceId.ToHexString(), log.TraceId);
        Assert.Equal(activity.SpanId.ToHexString(), log.SpanId);
        Assert.Equal(DateTimeOffset.UtcNow, log.Time, TimeSpan.FromMinutes(1));
    }

    public static TheoryData<string, byte[]> MalformedRequests => new()
    {
        { "text, not protobuf", "not protobuf at all"u8.ToArray() },
        { "length past the end", [0x0A, 0x05, 0x01] },
        { "truncated varint", [0x08, 0xFF] },
        { "varint longer than 10 bytes", [0x08, .. Enumerable.Repeat((byte)0xFF, 11), 0x01] },
        { "field number 0", [0x02, 0x00] },
        { "3-byte trace id", ProtoBytes.TraceRequest("checkout", ProtoBytes.Span(ProtoBytes.Id(3, 1), ProtoBytes.Id(8, 2), "x")) },
        {
            "valid span, then a bad one",
            ProtoBytes.TraceRequest("checkout", ProtoBytes.Span(ProtoBytes.Id(16, 1), ProtoBytes.Id(8, 2), "ok"), ProtoBytes.Span(ProtoBytes.Id(16, 1), [], "no span id"))
        },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task PostTraces_MalformedProtobuf_Returns400ProblemAndStoresNothing(string what, byte[] body)
    {
        _receiver.Store.AddSpans([Seed()]);

        using var response = await _client.PostAsync("/v1/traces", Protobuf(body), Ct).DefaultTimeout();

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"{what}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("seed", Assert.Single(_receiver.Store.GetSpans()).Name);
    }

    [Fact]
    public async Task PostLogs_Malformed_Returns400AndStoresNothing()
    {
        using var response = await _client.PostAsync("/v1/logs", Protobuf([0x0A, 0x7F]), Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, _receiver.Store.LogCount);
    }

    [Fact]
    public async Task PostTraces_GzipBody_Returns200EmptyProtobufAndStoresSpan()
    {
        var request = ProtoBytes.TraceRequest("inventory", ProtoBytes.Span(ProtoBytes.Id(16, 0xAB), ProtoBytes.Id(8, 0xCD), "reserve"));
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(request, Ct);
        }

        var content = Protobuf(compressed.ToArray());
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await _client.PostAsync("/v1/traces", content, Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
        var span = Assert.Single(_receiver.Store.GetSpans());
        Assert.Equal(("reserve", "inventory", "abababababababababababababababab", "cdcdcdcdcdcdcdcd", 5.0), (span.Name, span.ServiceName, span.TraceId, span.SpanId, span.DurationMs));
    }

    [Fact]
    public async Task PostTraces_GzipHeaderOnPlainBody_Returns400()
    {
        var content = Protobuf(ProtoBytes.TraceRequest("inventory", ProtoBytes.Span(ProtoBytes.Id(16, 1), ProtoBytes.Id(8, 2), "x")));
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await _client.PostAsync("/v1/traces", content, Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, _receiver.Store.SpanCount);
    }

    [Fact]
    public async Task PostTraces_HugeName_StoredTruncated()
    {
        var name = new string('n', 100_000);
        var request = ProtoBytes.TraceRequest("inventory", ProtoBytes.Span(ProtoBytes.Id(16, 1), ProtoBytes.Id(8, 2), name));

        using var response = await _client.PostAsync("/v1/traces", Protobuf(request), Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single(_receiver.Store.GetSpans()).Name;
        Assert.Equal(string.Concat(name.AsSpan(0, 4096), "…"), stored);
    }

    [Fact]
    public async Task PostTraces_Json_Returns415()
    {
        using var response = await _client.PostAsync("/v1/traces", new StringContent("{}", null, "application/json"), Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0, _receiver.Store.SpanCount);
    }

    [Fact]
    public async Task PostMetrics_Any_Returns200()
    {
        using var response = await _client.PostAsync("/v1/metrics", Protobuf([0x0A, 0x00]), Ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static ByteArrayContent Protobuf(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return content;
    }

    private static SpanRecord Seed() => new()
    {
        TraceId = new string('1', 32),
        SpanId = new string('2', 16),
        Name = "seed",
        ServiceName = "seed",
        Attributes = new Dictionary<string, object?>(),
    };
}
