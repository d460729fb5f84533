using Evergreen.AgentRuntime.Registry;
using Evergreen.AgentRuntime.Runs;

namespace Evergreen.AgentRuntime.Api;

/// <summary>
/// <c>/v1/plugins</c>: the catalog of the active revision and runs of a plugin's agents, commands and skills, at the
/// paths of claude-code-plugin-rest-api. Every handler captures the active revision once and uses it to the end.
/// </summary>
internal static class PluginsApi
{
    public static RouteGroupBuilder MapPluginsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/plugins");
        group.MapGet("", ListPlugins);
        group.MapPost("/stream", CreateStreamAsync);
        group.MapGet("/{plugin}", GetPlugin);
        group.MapPost("/{plugin}/{kind:regex(^(agents|commands|skills)$)}/{name}", RunAsync);
        return group;
    }

    private static IResult ListPlugins(PluginRegistry registry, HttpContext http)
    {
        if (Capture(registry, http) is not { } revision)
        {
            return Problems.NotLoaded();
        }

        var plugins = revision.Catalog.Plugins.Select(PluginViews.Summary).ToList();
        return TypedResults.Ok(new PluginListView(plugins, plugins.Count));
    }

    private static IResult GetPlugin(string plugin, PluginRegistry registry, HttpContext http)
    {
        if (Capture(registry, http) is not { } revision)
        {
            return Problems.NotLoaded();
        }

        return revision.Index.FindPlugin(plugin) is { } definition
            ? TypedResults.Ok(PluginViews.Detail(definition))
            : Problems.NotFound($"Revision {revision.ShortId} has no plugin '{plugin}'. GET /v1/plugins lists them.");
    }

    private static async Task<IResult> RunAsync(
        string plugin, string kind, string name, RunRequest? request, PluginRegistry registry, RunPreparer preparer, RunExecutor executor,
        HttpContext http, CancellationToken cancellationToken)
    {
        if (Capture(registry, http) is not { } revision)
        {
            return Problems.NotLoaded();
        }

        var (target, notFound) = RunPreparer.FindTarget(revision, plugin, kind, name);
        if (target is null)
        {
            return notFound!;
        }

        var (prepared, problem) = preparer.Prepare(revision, revision.Index.FindPlugin(plugin)!, target, request?.Prompt, request?.MaxTurns);
        return prepared is null ? problem! : await RunResults.RunAsync(http, executor, prepared, cancellationToken);
    }

    private static IResult CreateStreamAsync(
        PluginStreamRequest? request, PluginRegistry registry, RunPreparer preparer, StreamingApi.SessionFactory sessions, HttpContext http)
    {
        if (Capture(registry, http) is not { } revision)
        {
            return Problems.NotLoaded();
        }

        if (string.IsNullOrWhiteSpace(request?.Plugin) || string.IsNullOrWhiteSpace(request.Agent))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]>
                {
                    [string.IsNullOrWhiteSpace(request?.Plugin) ? "plugin" : "agent"] = ["Give both the plugin and the agent to run, for example {\"plugin\": \"review\", \"agent\": \"reviewer\", \"prompt\": \"…\"}."],
                },
                title: "The stream request is not valid; no session was created");
        }

        var (target, notFound) = RunPreparer.FindTarget(revision, request.Plugin, "agents", request.Agent);
        if (target is null)
        {
            return notFound!;
        }

        return sessions.Create(http, revision, revision.Index.FindPlugin(request.Plugin)!, target, request.Prompt, request.MaxTurns);
    }

    /// <summary>Reads the active revision once and tags the response with it.</summary>
    public static LoadedRevision? Capture(PluginRegistry registry, HttpContext http)
    {
        var revision = registry.Active;
        if (revision is not null)
        {
            http.Features.Set(new RunFeature(revision.Id, null));
        }

        return revision;
    }
}
