namespace Evergreen.ConfigStore.Git;

/// <summary>
/// Where the plugins live: <c>ConfigStore:Repository:Url</c> (a path or a git URL) and the branch to track, or
/// <c>ConfigStore:Repository:WatchWorkingTree</c> (a local working tree whose edits ConfigStore commits itself).
/// </summary>
internal sealed record PluginRepositoryOptions
{
    public const string Section = "ConfigStore:Repository";

    public string? Url { get; init; }

    /// <summary>
    /// A local working tree to watch instead of a remote: ConfigStore commits every change made in it (debounced) on
    /// <see cref="Branch"/>, which must be the branch checked out there, and syncs from that repository.
    /// Null (the default) means <see cref="Url"/> is tracked. Setting both is a configuration error.
    /// </summary>
    public string? WatchWorkingTree { get; init; }

    /// <summary>The repository the sync fetches from: the watched working tree, else <see cref="Url"/>.</summary>
    public string? SourceUrl => string.IsNullOrWhiteSpace(WatchWorkingTree) ? Url : WatchWorkingTree;

    public string Branch { get; init; } = "main";

    /// <summary>
    /// The folder holding ConfigStore's private bare mirror of the repository. Null means a folder under the OS
    /// temporary folder named after the URL and branch, so a restart reuses it and only fetches what is new.
    /// </summary>
    public string? WorkFolder { get; init; }

    /// <summary>How often the branch is fetched when nothing else triggers a sync.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);
}
