namespace Evergreen.AppHost.Hosting.Git;

/// <summary>The plugin repository the AppHost serves, as found or created by <see cref="PluginRepository.EnsureSeededAsync"/>.</summary>
public sealed record PluginRepositoryInfo
{
    /// <summary>Full path of the bare repository.</summary>
    public required string Path { get; init; }

    /// <summary>The branch the services read plugins from.</summary>
    public required string Branch { get; init; }

    /// <summary>The commit SHA that <see cref="Branch"/> pointed at when the repository was checked.</summary>
    public required string HeadCommit { get; init; }

    /// <summary>True when the repository was created and seeded by this call; false when it already existed and was left unchanged.</summary>
    public required bool Seeded { get; init; }
}
