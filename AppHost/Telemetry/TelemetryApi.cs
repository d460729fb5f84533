using System.Globalization;
using Evergreen.AppHost.Control;
using Evergreen.AppHost.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Evergreen.AppHost.Telemetry;

/// <summary>
/// <c>/api/traces</c> and <c>/api/logs/structured</c>: what the OTLP receiver collected, newest first. Every route
/// needs the admin bearer token, like the rest of the control API.
/// </summary>
internal static class TelemetryApi
{
    private const int MaxLimit = 1000;

    public static RouteGroupBuilder MapTelemetryApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").AddEndpointFilter<AdminTokenFilter>();
        api.MapGet("/traces", GetTraces);
        api.MapGet("/traces/{traceId}", GetTrace);
        api.MapGet("/logs/structured", GetStructuredLogs);
        return api;
    }

    private static Results<Ok<List<TraceSummary>>, ProblemHttpResult> GetTraces(DistributedApplication app, string? service, int? limit)
    {
        if (InvalidLimit(limit) is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok(TraceQueries.Recent(app.Telemetry.GetSpans(), NullIfEmpty(service), limit ?? 50));
    }

    private static Results<Ok<TraceDetail>, ProblemHttpResult> GetTrace(DistributedApplication app, string traceId)
    {
        if (traceId.Length != 32 || !traceId.All(char.IsAsciiHexDigit))
        {
            return BadRequest("Invalid trace id", $"'{traceId}' is not a trace id: give its 32 hexadecimal digits.");
        }

        return TraceQueries.Find(app.Telemetry.GetSpans(), traceId.ToLowerInvariant()) is { } trace
            ? TypedResults.Ok(trace)
            : TypedResults.Problem(
                title: "Unknown trace",
                detail: $"No span of trace {traceId} has been received, or it was dropped to keep the newest {TelemetryStore.DefaultCapacity} spans.",
                statusCode: StatusCodes.Status404NotFound);
    }

    private static Results<Ok<List<StructuredLogRecord>>, ProblemHttpResult> GetStructuredLogs(DistributedApplication app, string? service, string? severity, int? limit)
    {
        if (InvalidLimit(limit) is { } problem)
        {
            return problem;
        }

        if (ParseMinimumSeverity(severity) is not { } minimum)
        {
            return BadRequest("Invalid 'severity'", "severity must be trace, debug, info, warn, error or fatal (the minimum to show), or a severity number 1–24.");
        }

        service = NullIfEmpty(service);
        var logs = app.Telemetry.GetLogs();
        var matching = new List<StructuredLogRecord>();
        for (var i = logs.Count - 1; i >= 0 && matching.Count < (limit ?? 200); i--)
        {
            var log = logs[i];
            if (log.SeverityNumber >= minimum && (service is null || string.Equals(log.ServiceName, service, StringComparison.OrdinalIgnoreCase)))
            {
                matching.Add(log);
            }
        }

        return TypedResults.Ok(matching);
    }

    private static int? ParseMinimumSeverity(string? severity) => severity?.Trim().ToLowerInvariant() switch
    {
        null or "" => 0,
        "trace" => 1,
        "debug" => 5,
        "info" or "information" => 9,
        "warn" or "warning" => 13,
        "error" => 17,
        "fatal" or "critical" => 21,
        var number when int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 24 => value,
        _ => null,
    };

    private static ProblemHttpResult? InvalidLimit(int? limit) =>
        limit is < 1 or > MaxLimit ? BadRequest("Invalid 'limit'", $"limit must be between 1 and {MaxLimit}.") : null;

    private static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status400BadRequest);

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
