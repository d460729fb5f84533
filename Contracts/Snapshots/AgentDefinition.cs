using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Evergreen.Contracts.Snapshots;

/// <summary>A subagent: a markdown file in a plugin's <c>agents/</c> folder (or a manifest's <c>agents</c> path).</summary>
public sealed record AgentDefinition
{
    private string? _body;
    private DeferredText? _deferredBody;

    /// <summary>An empty agent, for object initializers and the serializer.</summary>
    public AgentDefinition()
    {
    }

    /// <summary>
    /// An agent whose <see cref="Body"/> is decoded from <paramref name="body"/> when first read: for readers of snapshots,
    /// which keep bodies in their encoded form until a run needs one.
    /// </summary>
    [SetsRequiredMembers]
#pragma warning disable CS8618 // Body is not missing: it reads _deferredBody, set below.
    public AgentDefinition(string name, string qualifiedName, DeferredText body, string file)
    {
        Name = name;
        QualifiedName = qualifiedName;
        File = file;
        _deferredBody = body;
    }
#pragma warning restore CS8618

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
    public required string Body
    {
        get => _body ?? _deferredBody!.Value;
        init => (_body, _deferredBody) = (value, null);
    }

    /// <summary>The file's path in the repository.</summary>
    public required string File { get; init; }

    /// <summary>Every frontmatter key as parsed, known or not (<c>color</c>, <c>tags</c>, …), in ordinal key order.</summary>
    public IReadOnlyDictionary<string, JsonElement> Frontmatter { get; init; } = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
}
