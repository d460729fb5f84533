using System.Security.Cryptography;
using System.Text;
using Evergreen.ConfigStore.Plugins;
using LibGit2Sharp;

namespace Evergreen.ConfigStore.Git;

/// <summary>
/// Reads the tracked branch through a private bare mirror: fetches it, lists the commits that are new since a known
/// commit, and turns a commit's tree into a <see cref="RepositoryTree"/>. Not thread-safe: one sync at a time uses it.
/// </summary>
internal sealed class GitCommitReader(PluginRepositoryOptions options)
{
    private const string RemoteName = BareRepository.RemoteName;

    public string TrackingReference => $"refs/remotes/{RemoteName}/{options.Branch}";

    /// <summary>Fetches the branch into the mirror and returns the commits after <paramref name="lastKnown"/>, oldest first.</summary>
    /// <param name="lastKnown">The newest commit already stored; null when nothing is stored.</param>
    /// <remarks>When <paramref name="lastKnown"/> is not in the branch's history (a force push), every commit of the
    /// branch is returned and the caller skips those it already stored.</remarks>
    public FetchedBranch Fetch(string? lastKnown)
    {
        var url = options.SourceUrl ?? throw new InvalidOperationException(
            "ConfigStore:Repository:Url is not set. Set it (env ConfigStore__Repository__Url) to the plugin repository's path or URL.");
        var mirror = BareRepository.Open(options, url, "mirror.git");
        // Never shallow: libgit2 1.5 lays out the fetch options without the depth field (../shared/DEPENDENCIES.md).
        Commands.Fetch(mirror, RemoteName, [$"+refs/heads/{options.Branch}:{TrackingReference}"], new FetchOptions { Prune = false }, logMessage: null);
        var head = mirror.Refs[TrackingReference]?.ResolveToDirectReference()?.Target as Commit;
        if (head is null)
        {
            return new FetchedBranch(mirror, null, []);
        }

        var filter = new CommitFilter
        {
            IncludeReachableFrom = head,
            SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Reverse,
        };
        if (lastKnown is not null && mirror.Lookup<Commit>(lastKnown) is { } known)
        {
            filter.ExcludeReachableFrom = known;
        }

        var commits = mirror.Commits.QueryBy(filter).ToList();
        return new FetchedBranch(mirror, head.Sha, commits);
    }

    /// <summary>Reads every blob of the commit's tree; symbolic links keep their target as content and as <see cref="RepositoryFile.LinkTarget"/>.</summary>
    public static RepositoryTree ReadTree(Commit commit) => ReadTree(commit.Tree);

    /// <summary>Reads every blob of a tree (e.g. a merge result not committed yet), as <see cref="ReadTree(Commit)"/> does.</summary>
    public static RepositoryTree ReadTree(Tree tree)
    {
        var files = new List<RepositoryFile>();
        AddTree(tree, string.Empty, files);
        return new RepositoryTree(files);
    }

    private static void AddTree(Tree tree, string prefix, List<RepositoryFile> files)
    {
        foreach (var entry in tree)
        {
            var path = prefix + entry.Name;
            switch (entry.TargetType)
            {
                case TreeEntryTargetType.Tree:
                    AddTree((Tree)entry.Target, path + "/", files);
                    break;
                case TreeEntryTargetType.Blob:
                    var content = ReadBlob((Blob)entry.Target);
                    files.Add(entry.Mode == Mode.SymbolicLink
                        ? new RepositoryFile(path, content, IsSymbolicLink: true, LinkTarget: Encoding.UTF8.GetString(content))
                        : new RepositoryFile(path, content));
                    break;
                default:
                    // A submodule (gitlink) has no content in this repository.
                    break;
            }
        }
    }

    internal static byte[] ReadBlob(Blob blob)
    {
        using var stream = blob.GetContentStream();
        using var buffer = new MemoryStream(checked((int)blob.Size));
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>The work folder used when <see cref="PluginRepositoryOptions.WorkFolder"/> is null: under the OS temporary folder, named after the URL and branch.</summary>
    internal static string DefaultWorkFolder(string url, string branch)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{url}\n{branch}")))[..16];
        return Path.Combine(Path.GetTempPath(), "evergreen-configstore", key);
    }
}

/// <summary>The result of <see cref="GitCommitReader.Fetch"/>. Owns the opened mirror: dispose it.</summary>
internal sealed record FetchedBranch(Repository Mirror, string? Head, IReadOnlyList<Commit> NewCommits) : IDisposable
{
    public void Dispose() => Mirror.Dispose();
}
