using Evergreen.AppHost.Hosting.Resources;

namespace Evergreen.AppHost.Hosting.Git;

/// <summary>Adds the local plugin repository to the model.</summary>
public static class GitBuilderExtensions
{
    /// <summary>
    /// Adds a bare git repository <c>&lt;data folder&gt;/<paramref name="folderName"/></c>, seeded once from
    /// <paramref name="seedFolder"/> (relative to the repository root) on <paramref name="branch"/>.
    /// </summary>
    public static IResourceBuilder<GitRepositoryResource> AddGitRepository(this IDistributedApplicationBuilder builder, string name, string folderName, string seedFolder, string branch = "main") =>
        builder.AddResource(new GitRepositoryResource(name, folderName, seedFolder, branch));
}
