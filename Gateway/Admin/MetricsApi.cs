using Evergreen.Contracts.Gateway;
using Evergreen.Gateway.Metrics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Evergreen.Gateway.Admin;

/// <summary><c>GET /admin/metrics?windowSeconds=30</c>: per-destination traffic over a sliding window (bearer admin token).</summary>
internal static class MetricsApi
{
    public const int DefaultWindowSeconds = 30;

    public static RouteGroupBuilder MapMetricsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/admin/metrics").RequireAdmin();
        group.MapGet("", GetMetrics);
        return group;
    }

    private static Results<Ok<GatewayMetricsReport>, ValidationProblem> GetMetrics(MetricsReportBuilder reports, int? windowSeconds)
    {
        var window = windowSeconds ?? DefaultWindowSeconds;
        if (window is < 1 or > MetricsWindow.MaxWindowSeconds)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [nameof(windowSeconds)] = [$"windowSeconds must be between 1 and {MetricsWindow.MaxWindowSeconds}."],
            });
        }

        return TypedResults.Ok(reports.Build(window));
    }
}
