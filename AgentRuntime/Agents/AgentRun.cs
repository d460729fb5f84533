using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Agents;

/// <summary>What to run: a target of one plugin in one captured revision, with the caller's prompt.</summary>
public sealed record AgentRun
{
    /// <summary>The run's id, returned to the client and sent with a proposal.</summary>
    public required string RunId { get; init; }

    /// <summary>The revision the request captured; every file the run reads comes from it.</summary>
    public required string RevisionId { get; init; }

    /// <summary>The plugin the target belongs to, from the captured snapshot.</summary>
    public required PluginDefinition Plugin { get; init; }

    /// <summary>What is run.</summary>
    public required AgentTarget Target { get; init; }

    /// <summary>The caller's prompt (for a command: the text that replaces <c>$ARGUMENTS</c>).</summary>
    public required string Prompt { get; init; }

    /// <summary>The caller's turn limit; null when not given. The runner applies frontmatter and configured caps.</summary>
    public int? MaxTurns { get; init; }

    /// <summary>Reads the captured revision's files.</summary>
    public required IPluginFileSource Files { get; init; }
}

/// <summary>An agent, a command or a skill of <see cref="AgentRun.Plugin"/>; exactly one is set.</summary>
public sealed record AgentTarget
{
    /// <summary>The agent to run.</summary>
    public AgentDefinition? Agent { get; init; }

    /// <summary>The command whose body is the prompt template.</summary>
    public CommandDefinition? Command { get; init; }

    /// <summary>The skill whose body instructs the model.</summary>
    public SkillDefinition? Skill { get; init; }
}
