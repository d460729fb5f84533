using Evergreen.AppHost.Hosting;
using Evergreen.Contracts.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Evergreen.AppHost.Control;

/// <summary>
/// <c>/api/resources</c>: what runs, and graceful restart, stop and start — the replica controller the
/// UpgradeOrchestrator calls during rolling restarts. Every route needs the admin bearer token.
/// </summary>
internal static class ResourcesApi
{
    public static RouteGroupBuilder MapResourcesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/resources").AddEndpointFilter<AdminTokenFilter>();
        api.MapGet("/", GetResources);
        api.MapGet("/{name}", GetResource);
        api.MapGet("/{name}/logs", GetLogs);
        api.MapPost("/{name}/restart", Restart);
        api.MapPost("/{name}/stop", Stop);
        api.MapPost("/{name}/start", Start);
        return api;
    }

    private static Ok<IReadOnlyList<ResourceStatus>> GetResources(DistributedApplication app) => TypedResults.Ok(app.GetResources());

    private static Results<Ok<ResourceStatus>, ProblemHttpResult> GetResource(string name, DistributedApplication app) =>
        app.GetResource(name) is { } status ? TypedResults.Ok(status) : NotFound(name, app);

    private static Results<Ok<LogLinesResponse>, ProblemHttpResult> GetLogs(string name, DistributedApplication app, int? lines)
    {
        if (app.GetResource(name) is null)
        {
            return NotFound(name, app);
        }

        if (lines is < 1 or > 1000)
        {
            return TypedResults.Problem(title: "Invalid 'lines'", detail: "lines must be between 1 and 1000.", statusCode: StatusCodes.Status400BadRequest);
        }

        var tail = app.Logs.GetLines(name, lines ?? 200);
        return TypedResults.Ok(new LogLinesResponse(name, [.. tail.Select(l => new LogLineDto(l.Time, l.Text, l.IsError))]));
    }

    private static Task<Results<Ok<ResourceStatus>, ProblemHttpResult>> Restart(string name, DistributedApplication app, CancellationToken cancellationToken) =>
        Command(name, app, app.RestartResourceAsync, cancellationToken);

    private static Task<Results<Ok<ResourceStatus>, ProblemHttpResult>> Stop(string name, DistributedApplication app, CancellationToken cancellationToken) =>
        Command(name, app, app.StopResourceAsync, cancellationToken);

    private static Task<Results<Ok<ResourceStatus>, ProblemHttpResult>> Start(string name, DistributedApplication app, CancellationToken cancellationToken) =>
        Command(name, app, app.StartResourceAsync, cancellationToken);

    private static async Task<Results<Ok<ResourceStatus>, ProblemHttpResult>> Command(
        string name, DistributedApplication app, Func<string, CancellationToken, Task<ResourceStatus>> command, CancellationToken cancellationToken)
    {
        if (app.GetResource(name) is null)
        {
            return NotFound(name, app);
        }

        return TypedResults.Ok(await command(name, cancellationToken));
    }

    private static ProblemHttpResult NotFound(string name, DistributedApplication app) =>
        TypedResults.Problem(
            title: "Unknown resource",
            detail: $"There is no resource named '{name}'. Known: {string.Join(", ", app.GetResources().Select(r => r.Name))}.",
            statusCode: StatusCodes.Status404NotFound);

    private sealed record LogLinesResponse(string Resource, IReadOnlyList<LogLineDto> Lines);

    private sealed record LogLineDto(DateTimeOffset Time, string Text, bool IsError);
}
