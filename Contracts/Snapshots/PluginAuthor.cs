namespace Evergreen.Contracts.Snapshots;

/// <summary>A plugin's author. <c>"author": "Jane"</c> becomes a record with only <see cref="Name"/>.</summary>
public sealed record PluginAuthor
{
    /// <summary>The author's name; null when the manifest gives only an e-mail or a URL.</summary>
    public string? Name { get; init; }

    /// <summary>The author's e-mail address, when given.</summary>
    public string? Email { get; init; }

    /// <summary>The author's web page, when given.</summary>
    public string? Url { get; init; }
}
