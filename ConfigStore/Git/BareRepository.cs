using LibGit2Sharp;

namespace Evergreen.ConfigStore.Git;

/// <summary>ConfigStore's private bare repositories (the sync's mirror, the proposals' clone), each tracking the plugin repository as <c>origin</c>.</summary>
internal static class BareRepository
{
    public const string RemoteName = "origin";

    /// <summary>
    /// Opens <c>&lt;work folder&gt;/<paramref name="name"/></c>, creating it when missing, with <c>origin</c> pointing at
    /// <paramref name="url"/> (updated when the configured URL changed). The caller disposes the repository.
    /// </summary>
    public static Repository Open(PluginRepositoryOptions options, string url, string name)
    {
        var folder = options.WorkFolder ?? GitCommitReader.DefaultWorkFolder(url, options.Branch);
        var path = Path.Combine(folder, name);
        if (!Repository.IsValid(path))
        {
            Directory.CreateDirectory(folder);
            Repository.Init(path, isBare: true);
        }

        var repository = new Repository(path);
        var remote = repository.Network.Remotes[RemoteName];
        if (remote is null)
        {
            repository.Network.Remotes.Add(RemoteName, url);
        }
        else if (remote.Url != url)
        {
            repository.Network.Remotes.Update(RemoteName, r => r.Url = url);
        }

        return repository;
    }
}
