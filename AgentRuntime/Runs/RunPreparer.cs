using Evergreen.AgentRuntime.Agents;
using Evergreen.AgentRuntime.Hosting;
using Evergreen.AgentRuntime.Registry;
using Evergreen.Contracts.Snapshots;
using Microsoft.AspNetCore.Mvc;

namespace Evergreen.AgentRuntime.Runs;

/// <summary>
/// Checks a run request against the revision the request captured and binds it to that revision: target, prompt,
/// turn limit and a file source over the captured revision's files.
/// </summary>
internal sealed class RunPreparer(FileContentCache files, ReplicaName replica)
{
    public const int MaxTurnsLimit = 100;
    public const int MaxPromptLength = 200_000;

    public string NewRunId() => $"{replica.Value}.{Guid.NewGuid():N}";

    /// <summary>The target <paramref name="kind"/> (agents, commands, skills) named <paramref name="name"/> of <paramref name="plugin"/>.</summary>
    public static (AgentTarget? Target, IResult? Problem) FindTarget(LoadedRevision revision, string plugin, string kind, string name)
    {
        var definition = revision.Index.FindPlugin(plugin);
        if (definition is null)
        {
            return (null, Problems.NotFound($"Revision {revision.ShortId} has no plugin '{plugin}'. GET /v1/plugins lists them."));
        }

        AgentTarget? target = kind switch
        {
            "agents" => definition.Agents.FirstOrDefault(a => a.Name == name) is { } agent ? new AgentTarget { Agent = agent } : null,
            "commands" => definition.Commands.FirstOrDefault(c => c.Name == name) is { } command ? new AgentTarget { Command = command } : null,
            _ => definition.Skills.FirstOrDefault(s => s.Name == name) is { } skill ? new AgentTarget { Skill = skill } : null,
        };
        return target is null
            ? (null, Problems.NotFound($"Plugin '{plugin}' has no {kind.TrimEnd('s')} '{name}' in revision {revision.ShortId}. GET /v1/plugins/{plugin} lists them."))
            : (target, null);
    }

    /// <summary>Binds a request to <paramref name="revision"/>; returns a problem naming the field when the body is wrong.</summary>
    public (PreparedRun? Run, IResult? Problem) Prepare(
        LoadedRevision revision, PluginDefinition plugin, AgentTarget target, string? prompt, int? maxTurns, string? runId = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(prompt))
        {
            errors["prompt"] = ["Give the prompt to run, for example {\"prompt\": \"Review this change\"}."];
        }
        else if (prompt.Length > MaxPromptLength)
        {
            errors["prompt"] = [$"The prompt has {prompt.Length} characters; the limit is {MaxPromptLength}."];
        }

        if (maxTurns is < 1 or > MaxTurnsLimit)
        {
            errors["maxTurns"] = [$"maxTurns must be between 1 and {MaxTurnsLimit}, or left out to use the agent's own limit."];
        }

        if (errors.Count > 0)
        {
            return (null, TypedResults.ValidationProblem(errors, title: "The run request is not valid; nothing was run"));
        }

        var run = new AgentRun
        {
            RunId = runId ?? NewRunId(),
            RevisionId = revision.Id,
            Plugin = plugin,
            Target = target,
            Prompt = prompt!,
            MaxTurns = maxTurns,
            Files = new RevisionFileSource(revision, plugin, files),
        };
        return (new PreparedRun(run, revision), null);
    }
}

/// <summary>Problem-details answers shared by the API.</summary>
internal static class Problems
{
    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static IResult NotLoaded() => TypedResults.Problem(
        detail: "This replica has not loaded a plugin revision yet; retry shortly or use another replica.",
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "No plugin revision loaded");

    public static IResult Ambiguous(string name, IEnumerable<string> candidates)
    {
        var list = candidates.ToArray();
        return TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "Ambiguous agent name",
            Detail = $"'{name}' names {list.Length} agents in this revision: {string.Join(", ", list)}. Use the qualified name plugin:agent.",
            Extensions = { ["candidates"] = list },
        });
    }
}
