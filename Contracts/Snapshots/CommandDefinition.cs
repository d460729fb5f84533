using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Evergreen.Contracts.Snapshots;

/// <summary>A slash command: a markdown file in a plugin's <c>commands/</c> folder (or a manifest's <c>commands</c> path).</summary>
public sealed record CommandDefinition
{
    private string? _body;
    private DeferredText? _deferredBody;

    /// <summary>An empty command, for object initializers and the serializer.</summary>
    public CommandDefinition()
    {
    }

    /// <summary>
    /// A command whose <see cref="Body"/> is decoded from <paramref name="body"/> when first read: for readers of snapshots,
    /// which keep bodies in their encoded form until a run needs one.
    /// </summary>
    [SetsRequiredMembers]
#pragma warning disable CS8618 // Body is not missing: it reads _deferredBody, set below.
    public CommandDefinition(string name, string qualifiedName, DeferredText body, string file)
    {
        Name = name;
        QualifiedName = qualifiedName;
        File = file;
        _deferredBody = body;
    }
#pragma warning restore CS8618

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
    public required string Body
    {
        get => _body ?? _deferredBody!.Value;
        init => (_body, _deferredBody) = (value, null);
    }

    /// <summary>The file's path in the repository.</summary>
    public required string File { get; init; }

    /// <summary>Every frontmatter key as parsed, known or not, in ordinal key order.</summary>
    public IReadOnlyDictionary<string, JsonElement> Frontmatter { get; init; } = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
}
