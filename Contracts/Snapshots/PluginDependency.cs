namespace Evergreen.Contracts.Snapshots;

/// <summary>A plugin another plugin relies on, declared in <c>dependencies</c> as a name or as <c>{name, version}</c>.</summary>
public sealed record PluginDependency
{
    /// <summary>The name of the plugin depended on.</summary>
    public required string Name { get; init; }

    /// <summary>A semantic-version range such as <c>^1.2</c> or <c>&gt;=1.0 &lt;2.0</c>; null when any version will do.</summary>
    public string? VersionRange { get; init; }

    /// <summary>
    /// The marketplace the dependency is resolved in, from <c>name@marketplace</c> or the <c>marketplace</c> field; null for
    /// the repository's own marketplace. Dependencies on another marketplace are not checked against the revision.
    /// </summary>
    public string? Marketplace { get; init; }
}
