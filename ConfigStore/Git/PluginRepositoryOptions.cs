namespace Evergreen.ConfigStore.Git;

/// <summary>Where the plugins live: <c>ConfigStore:Repository:Url</c> (a path or a git URL) and the branch to track.</summary>
internal sealed record PluginRepositoryOptions
{
    public const string Section = "ConfigStore:Repository";

    public string? Url { get; init; }

    public string Branch { get; init; } = "main";

    /// <summary>
    /// The folder holding ConfigStore's private bare mirror of the repository. Null means a folder under the OS
    /// temporary folder named after the URL and branch, so a restart reuses it and only fetches what is new.
    /// </summary>
    public string? WorkFolder { get; init; }

    /// <summary>How often the branch is fetched when nothing else triggers a sync.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);
}
