using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Evergreen.AppHost.Tests.Launcher;
using Evergreen.Testing;

namespace Evergreen.AppHost.Tests.Telemetry;

/// <summary>The whole system: a service's own server span travels over OTLP to the AppHost and shows in its API.</summary>
public sealed class ServiceTracesTests(RunningSystemFixture fixture) : IClassFixture<RunningSystemFixture>
{
    [Fact]
    public async Task ServiceRequest_WithTraceParent_ServerSpanAppearsInApiTraces()
    {
        var ct = TestContext.Current.CancellationToken;
        var configStore = fixture.Instance.Application.GetResource("configstore")!;
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpanId = ActivitySpanId.CreateRandom().ToHexString();
        var path = "/telemetry-probe-" + Guid.NewGuid().ToString("N");

        // Health endpoints are deliberately not traced by ServiceDefaults; an unknown path is, and answers 404.
        using (var service = new HttpClient())
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(configStore.Url!), path)))
        {
            request.Headers.Add("traceparent", $"00-{traceId}-{callerSpanId}-01");
            using var response = await service.SendAsync(request, ct).DefaultTimeout();
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var control = fixture.Instance.CreateControlClient();
        await Eventually.Until(
            async () => (await control.GetFromJsonAsync<List<TraceSummaryDto>>("/api/traces?service=configstore&limit=1000", ct))!.Any(t => t.TraceId == traceId),
            TimeSpan.FromSeconds(30),
            "configstore's server span for the probe reaches the AppHost's OTLP receiver",
            ct).DefaultTimeout(TimeSpan.FromSeconds(40));
        var trace = await control.GetFromJsonAsync<TraceDetailDto>($"/api/traces/{traceId}", ct).DefaultTimeout();

        var server = Assert.Single(trace!.Spans, s => s.Kind == "Server");
        Assert.Equal("configstore", server.ServiceName);
        Assert.Equal(callerSpanId, server.ParentSpanId);
        Assert.Equal(path, server.Attributes["url.path"].GetString());
        Assert.Equal(404, server.Attributes["http.response.status_code"].GetInt32());
    }

    private sealed record TraceSummaryDto(string TraceId, string RootName, List<string> Services);

    private sealed record TraceDetailDto(string TraceId, List<SpanDto> Spans);

    private sealed record SpanDto(string SpanId, string? ParentSpanId, string Name, string Kind, string ServiceName, Dictionary<string, JsonElement> Attributes);
}
