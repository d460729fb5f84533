using System.Text.Json;

namespace Evergreen.Contracts.Snapshots;

/// <summary>A slash command: a markdown file in a plugin's <c>commands/</c> folder (or a manifest's <c>commands</c> path).</summary>
public sealed record CommandDefinition
{
    /// <summary>The file name without <c>.md</c>: the command is invoked as <c>/plugin:name</c>.</summary>
    public required string Name { get; init; }

    /// <summary><c>plugin:command</c>; unique among the plugin's skills and commands in a valid revision.</summary>
    public required string QualifiedName { get; init; }

    /// <summary>The frontmatter <c>description</c>, else the first non-empty line of the body; null for an empty file.</summary>
    public string? Description { get; init; }

    /// <summary>The hint shown after the command name, as text (<c>[path | git range]</c> even when YAML read it as a list).</summary>
    public string? ArgumentHint { get; init; }

    /// <summary>The command's <c>allowed-tools</c>. Null when not declared; an empty list means none.</summary>
    public IReadOnlyList<string>? AllowedTools { get; init; }

    /// <summary>The model the command runs with; null when not declared.</summary>
    public string? Model { get; init; }

    /// <summary>The prompt: the markdown after the frontmatter (the whole file when it has none). Line endings are <c>\n</c>.</summary>
    public required string Body { get; init; }

    /// <summary>The file's path in the repository.</summary>
    public required string File { get; init; }

    /// <summary>Every frontmatter key as parsed, known or not, in ordinal key order.</summary>
    public IReadOnlyDictionary<string, JsonElement> Frontmatter { get; init; } = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
}
