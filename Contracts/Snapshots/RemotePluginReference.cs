using System.Text.Json;

namespace Evergreen.Contracts.Snapshots;

/// <summary>A marketplace entry whose source is outside the repository. Listed, never fetched.</summary>
public sealed record RemotePluginReference
{
    /// <summary>The entry's name.</summary>
    public required string Name { get; init; }

    /// <summary>The kind of source: <c>github</c>, <c>url</c>, <c>git-subdir</c>, <c>npm</c>, <c>pip</c>, or whatever the entry says.</summary>
    public required string SourceType { get; init; }

    /// <summary>The entry's <c>source</c> value exactly as written (a string or an object).</summary>
    public required JsonElement Source { get; init; }

    /// <summary>The entry's description, when given.</summary>
    public string? Description { get; init; }
}
