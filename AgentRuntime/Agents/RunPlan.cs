using System.Globalization;
using System.Text;
using System.Text.Json;
using Evergreen.AgentRuntime.Agents.Tools;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Agents;

/// <summary>What the loop sends for one run: instructions, first message, tools, model and turn limit.</summary>
internal sealed record RunPlan
{
    public required string QualifiedName { get; init; }

    public required string SystemPrompt { get; init; }

    public required string UserMessage { get; init; }

    public required IReadOnlyList<AgentTool> Tools { get; init; }

    /// <summary>The Claude Code tool names the runtime does not implement; ignored.</summary>
    public required IReadOnlyList<string> IgnoredTools { get; init; }

    /// <summary>The frontmatter <c>model</c> (alias or id); null when not declared.</summary>
    public string? Model { get; init; }

    public required int MaxTurns { get; init; }

    /// <summary>True for an agent that may write: its changes become a proposal.</summary>
    public required bool ProposesChanges { get; init; }

    private const string CommandInstructions =
        "You are running a slash command of the '{0}' plugin. Follow the command's instructions in the user's message.";

    /// <exception cref="ArgumentException">When the target is not exactly one agent, command or skill.</exception>
    public static RunPlan Create(AgentRun run, ToolCatalog catalog, AgentRunnerOptions options)
    {
        var target = run.Target;
        var count = (target.Agent is null ? 0 : 1) + (target.Command is null ? 0 : 1) + (target.Skill is null ? 0 : 1);
        if (count != 1)
        {
            throw new ArgumentException("The run's target must be exactly one of agent, command or skill.", nameof(run));
        }

        if (target.Agent is { } agent)
        {
            var tools = catalog.Select(agent.Tools, allowWrites: true, out var ignored);
            return new RunPlan
            {
                QualifiedName = agent.QualifiedName,
                SystemPrompt = Instructions(agent.Body, run.Plugin, tools),
                UserMessage = run.Prompt,
                Tools = tools,
                IgnoredTools = ignored,
                Model = agent.Model,
                MaxTurns = TurnLimit(agent.Frontmatter, run.MaxTurns, options),
                ProposesChanges = tools.Any(t => t.Writes),
            };
        }

        if (target.Command is { } command)
        {
            var tools = catalog.Select(command.AllowedTools, allowWrites: false, out var ignored);
            return new RunPlan
            {
                QualifiedName = command.QualifiedName,
                SystemPrompt = Instructions(string.Format(CultureInfo.InvariantCulture, CommandInstructions, run.Plugin.Name), run.Plugin, tools),
                UserMessage = ExpandArguments(command.Body, run.Prompt),
                Tools = tools,
                IgnoredTools = ignored,
                Model = command.Model,
                MaxTurns = TurnLimit(command.Frontmatter, run.MaxTurns, options),
                ProposesChanges = false,
            };
        }

        var skill = target.Skill!;
        var skillTools = catalog.Select(skill.AllowedTools, allowWrites: false, out var skillIgnored);
        return new RunPlan
        {
            QualifiedName = skill.QualifiedName,
            SystemPrompt = Instructions(skill.Body, run.Plugin, skillTools),
            UserMessage = run.Prompt,
            Tools = skillTools,
            IgnoredTools = skillIgnored,
            Model = skill.Frontmatter.TryGetValue("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString() : null,
            MaxTurns = TurnLimit(skill.Frontmatter, run.MaxTurns, options),
            ProposesChanges = false,
        };
    }

    /// <summary>The command body with <c>$ARGUMENTS</c> replaced; as Claude Code does, appended when the body has no placeholder.</summary>
    public static string ExpandArguments(string body, string arguments) =>
        body.Contains("$ARGUMENTS", StringComparison.Ordinal)
            ? body.Replace("$ARGUMENTS", arguments, StringComparison.Ordinal)
            : string.IsNullOrWhiteSpace(arguments) ? body : $"{body.TrimEnd()}\n\nARGUMENTS: {arguments}";

    /// <summary>
    /// The strictest of the target's frontmatter <c>maxTurns</c> (or <c>max-turns</c>) and the request's limit, never above the
    /// configured cap; the cap when neither sets one.
    /// </summary>
    public static int TurnLimit(IReadOnlyDictionary<string, JsonElement> frontmatter, int? requested, AgentRunnerOptions options)
    {
        var limit = options.MaxTurns;
        if ((ReadTurns(frontmatter, "maxTurns") ?? ReadTurns(frontmatter, "max-turns")) is { } declared)
        {
            limit = Math.Min(limit, declared);
        }

        if (requested is > 0)
        {
            limit = Math.Min(limit, requested.Value);
        }

        return Math.Max(limit, 1);
    }

    private static int? ReadTurns(IReadOnlyDictionary<string, JsonElement> frontmatter, string key) =>
        frontmatter.TryGetValue(key, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var turns) && turns > 0 => turns,
            JsonValueKind.String when int.TryParse(value.GetString(), CultureInfo.InvariantCulture, out var turns) && turns > 0 => turns,
            _ => null,
        } : null;

    private static string Instructions(string body, PluginDefinition plugin, IReadOnlyList<AgentTool> tools)
    {
        var text = new StringBuilder(body.TrimEnd());
        var names = tools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        if (names.Contains("Skill") && plugin.Skills.Count > 0)
        {
            text.Append("\n\n## Skills\n\nLoad one of these skills of the '").Append(plugin.Name).Append("' plugin with the Skill tool when it helps:\n");
            foreach (var skill in plugin.Skills)
            {
                text.Append("- ").Append(skill.Name).Append(": ").Append(OneLine(skill.Description ?? "(no description)")).Append('\n');
            }
        }

        if (names.Overlaps(["Read", "Glob", "Grep", "Write", "Edit"]))
        {
            text.Append("\n\n## Files\n\nYour file tools work on the files of the '").Append(plugin.Name)
                .Append("' plugin; paths are relative to its folder.");
            if (names.Contains("Write") || names.Contains("Edit"))
            {
                text.Append(" Changes you make are proposed for human review when you finish; they do not take effect before approval.");
            }

            text.Append('\n');
        }

        return text.ToString().TrimStart();
    }

    private static string OneLine(string text)
    {
        var line = string.Join(' ', text.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
