using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Evergreen.AppHost.Telemetry;

/// <summary>
/// The OTLP/HTTP endpoints (<c>POST /v1/traces</c>, <c>/v1/logs</c>, <c>/v1/metrics</c>). A request is decoded
/// whole before anything is stored, so a malformed one (400) changes nothing. Success is 200 with an empty
/// <c>Export*ServiceResponse</c>, which in protobuf is zero bytes.
/// </summary>
internal static class OtlpIngestApi
{
    public static RouteGroupBuilder MapOtlpIngestApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1");
        api.MapPost("/traces", ReceiveTraces);
        api.MapPost("/logs", ReceiveLogs);
        api.MapPost("/metrics", ReceiveMetrics);
        return api;
    }

    private static Task<Results<FileContentHttpResult, ProblemHttpResult>> ReceiveTraces(HttpRequest request, TelemetryStore store, CancellationToken cancellationToken) =>
        ReceiveAsync(request, "ExportTraceServiceRequest", payload => store.AddSpans(OtlpTraceDecoder.Decode(payload.Span)), cancellationToken);

    private static Task<Results<FileContentHttpResult, ProblemHttpResult>> ReceiveLogs(HttpRequest request, TelemetryStore store, TimeProvider time, CancellationToken cancellationToken) =>
        ReceiveAsync(request, "ExportLogsServiceRequest", payload => store.AddLogs(OtlpLogDecoder.Decode(payload.Span, time.GetUtcNow())), cancellationToken);

    // Metrics are accepted so exporters do not log failures and retry, but the dashboard does not show them yet.
    private static Task<Results<FileContentHttpResult, ProblemHttpResult>> ReceiveMetrics(HttpRequest request, CancellationToken cancellationToken) =>
        ReceiveAsync(request, "ExportMetricsServiceRequest", static _ => { }, cancellationToken);

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, string messageName, Action<ReadOnlyMemory<byte>> decodeAndStore, CancellationToken cancellationToken)
    {
        var (payload, problem) = await OtlpPayload.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            decodeAndStore(payload);
        }
        catch (OtlpFormatException ex)
        {
            return OtlpPayload.Problem(StatusCodes.Status400BadRequest, "Malformed OTLP payload",
                $"The body is not a valid protobuf {messageName}: {ex.Message}. Nothing of it was stored.");
        }

        return TypedResults.Bytes(Array.Empty<byte>(), OtlpPayload.ProtobufMediaType);
    }
}
