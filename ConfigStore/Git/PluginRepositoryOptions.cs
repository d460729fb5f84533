namespace Evergreen.ConfigStore.Git;

/// <summary>Where the plugins live: <c>ConfigStore:Repository:Url</c> (a path or a git URL) and the branch to track.</summary>
internal sealed record PluginRepositoryOptions
{
    public const string Section = "ConfigStore:Repository";

    public string? Url { get; init; }

    public string Branch { get; init; } = "main";
}
