using System.Text.Json;

namespace Evergreen.Contracts.Snapshots;

/// <summary>An Agent Skill: a folder holding <c>SKILL.md</c> in a plugin's <c>skills/</c> folder (or a manifest's <c>skills</c> path).</summary>
public sealed record SkillDefinition
{
    /// <summary>The frontmatter <c>name</c>, or the folder's name when the file declares none.</summary>
    public required string Name { get; init; }

    /// <summary><c>plugin:skill</c>; unique among the plugin's skills and commands in a valid revision.</summary>
    public required string QualifiedName { get; init; }

    /// <summary>What the skill does and when to use it; null when the file declares none.</summary>
    public string? Description { get; init; }

    /// <summary>The skill's <c>allowed-tools</c>. Null when not declared; an empty list means none.</summary>
    public IReadOnlyList<string>? AllowedTools { get; init; }

    /// <summary>The markdown after the frontmatter. Line endings are <c>\n</c>.</summary>
    public required string Body { get; init; }

    /// <summary>The path of the <c>SKILL.md</c> file.</summary>
    public required string File { get; init; }

    /// <summary>The skill's folder (scripts, references and assets live beside <c>SKILL.md</c>).</summary>
    public required string Folder { get; init; }

    /// <summary>Every frontmatter key as parsed, known or not, in ordinal key order.</summary>
    public IReadOnlyDictionary<string, JsonElement> Frontmatter { get; init; } = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
}
