using System.Text.Json;

namespace Evergreen.Contracts.Snapshots;

/// <summary>A subagent: a markdown file in a plugin's <c>agents/</c> folder (or a manifest's <c>agents</c> path).</summary>
public sealed record AgentDefinition
{
    /// <summary>
    /// The agent's name: the frontmatter <c>name</c> when present (as Claude Code addresses subagents), otherwise the
    /// file name without <c>.md</c>.
    /// </summary>
    public required string Name { get; init; }

    /// <summary><c>plugin:agent</c>; unique in a valid revision.</summary>
    public required string QualifiedName { get; init; }

    /// <summary>When to use the agent, with any <c>&lt;example&gt;</c> blocks; null when the file declares none.</summary>
    public string? Description { get; init; }

    /// <summary>The tools the agent may use. Null means every tool (no <c>tools</c> key); an empty list means none.</summary>
    public IReadOnlyList<string>? Tools { get; init; }

    /// <summary>The model alias or id (<c>sonnet</c>, <c>inherit</c>, …); null when not declared.</summary>
    public string? Model { get; init; }

    /// <summary>The markdown after the frontmatter: the agent's system prompt. Line endings are <c>\n</c>.</summary>
    public required string Body { get; init; }

    /// <summary>The file's path in the repository.</summary>
    public required string File { get; init; }

    /// <summary>Every frontmatter key as parsed, known or not (<c>color</c>, <c>tags</c>, …), in ordinal key order.</summary>
    public IReadOnlyDictionary<string, JsonElement> Frontmatter { get; init; } = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
}
