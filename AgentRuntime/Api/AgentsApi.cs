using Evergreen.AgentRuntime.Agents;
using Evergreen.AgentRuntime.Registry;
using Evergreen.AgentRuntime.Runs;

namespace Evergreen.AgentRuntime.Api;

/// <summary>
/// <c>/v1/agents</c>: agents addressed as <c>plugin:agent</c>, or by a bare name that is unique in the captured revision
/// (409 listing the candidates when it is not).
/// </summary>
internal static class AgentsApi
{
    public static RouteGroupBuilder MapAgentsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/agents");
        group.MapGet("", ListAgents);
        group.MapGet("/{name}", GetAgent);
        group.MapPost("/{name}", RunAsync);
        group.MapPost("/{name}/stream", CreateStream);
        return group;
    }

    private static IResult ListAgents(PluginRegistry registry, HttpContext http)
    {
        if (PluginsApi.Capture(registry, http) is not { } revision)
        {
            return Problems.NotLoaded();
        }

        var agents = revision.Index.Agents.Select(PluginViews.Agent).ToList();
        return TypedResults.Ok(new AgentListView(agents, agents.Count));
    }

    private static IResult GetAgent(string name, PluginRegistry registry, HttpContext http) =>
        Resolve(name, registry, http, out var entry, out _) is { } problem ? problem : TypedResults.Ok(PluginViews.Agent(entry!));

    private static async Task<IResult> RunAsync(
        string name, RunRequest? request, PluginRegistry registry, RunPreparer preparer, RunExecutor executor, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (Resolve(name, registry, http, out var entry, out var revision) is { } problem)
        {
            return problem;
        }

        var (prepared, invalid) = preparer.Prepare(revision!, entry!.Plugin, new AgentTarget { Agent = entry.Agent }, request?.Prompt, request?.MaxTurns);
        return prepared is null ? invalid! : await RunResults.RunAsync(http, executor, prepared, cancellationToken);
    }

    private static IResult CreateStream(string name, RunRequest? request, PluginRegistry registry, StreamingApi.SessionFactory sessions, HttpContext http) =>
        Resolve(name, registry, http, out var entry, out var revision) is { } problem
            ? problem
            : sessions.Create(http, revision!, entry!.Plugin, new AgentTarget { Agent = entry.Agent }, request?.Prompt, request?.MaxTurns);

    private static IResult? Resolve(string name, PluginRegistry registry, HttpContext http, out AgentEntry? entry, out LoadedRevision? revision)
    {
        entry = null;
        revision = PluginsApi.Capture(registry, http);
        if (revision is null)
        {
            return Problems.NotLoaded();
        }

        var lookup = revision.Index.FindAgent(name);
        if (lookup.Candidates.Count > 1)
        {
            return Problems.Ambiguous(name, lookup.Candidates.Select(c => c.Agent.QualifiedName));
        }

        entry = lookup.Match;
        return entry is null
            ? Problems.NotFound($"Revision {revision.ShortId} has no agent '{name}'. GET /v1/agents lists them.")
            : null;
    }
}
