using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Evergreen.Contracts.Snapshots;

/// <summary>An Agent Skill: a folder holding <c>SKILL.md</c> in a plugin's <c>skills/</c> folder (or a manifest's <c>skills</c> path).</summary>
public sealed record SkillDefinition
{
    private string? _body;
    private DeferredText? _deferredBody;

    /// <summary>An empty skill, for object initializers and the serializer.</summary>
    public SkillDefinition()
    {
    }

    /// <summary>
    /// A skill whose <see cref="Body"/> is decoded from <paramref name="body"/> when first read: for readers of snapshots,
    /// which keep bodies in their encoded form until a run needs one.
    /// </summary>
    [SetsRequiredMembers]
#pragma warning disable CS8618 // Body is not missing: it reads _deferredBody, set below.
    public SkillDefinition(string name, string qualifiedName, DeferredText body, string file, string folder)
    {
        Name = name;
        QualifiedName = qualifiedName;
        File = file;
        Folder = folder;
        _deferredBody = body;
    }
#pragma warning restore CS8618

    /// <summary>The frontmatter <c>name</c>, or the folder's name when the file declares none.</summary>
    public required string Name { get; init; }

    /// <summary><c>plugin:skill</c>; unique among the plugin's skills and commands in a valid revision.</summary>
    public required string QualifiedName { get; init; }

    /// <summary>What the skill does and when to use it; null when the file declares none.</summary>
    public string? Description { get; init; }

    /// <summary>The skill's <c>allowed-tools</c>. Null when not declared; an empty list means none.</summary>
    public IReadOnlyList<string>? AllowedTools { get; init; }

    /// <summary>The markdown after the frontmatter. Line endings are <c>\n</c>.</summary>
    public required string Body
    {
        get => _body ?? _deferredBody!.Value;
        init => (_body, _deferredBody) = (value, null);
    }

    /// <summary>The path of the <c>SKILL.md</c> file.</summary>
    public required string File { get; init; }

    /// <summary>The skill's folder (scripts, references and assets live beside <c>SKILL.md</c>).</summary>
    public required string Folder { get; init; }

    /// <summary>Every frontmatter key as parsed, known or not, in ordinal key order.</summary>
    public IReadOnlyDictionary<string, JsonElement> Frontmatter { get; init; } = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
}
