using Evergreen.ConfigStore.Git;
using LibGit2Sharp;

namespace Evergreen.ConfigStore.Proposals;

/// <summary>
/// ConfigStore's own bare clone for writing proposals (<c>proposals.git</c> in the work folder, apart from the sync's
/// mirror, which is not thread-safe): fetches the tracked branch, makes commits without a work tree, merges and pushes.
/// Not thread-safe: <see cref="ProposalWorkspace"/> lets one caller at a time hold it.
/// </summary>
internal sealed class WorkRepository : IDisposable
{
    private const string RemoteName = BareRepository.RemoteName;
    private const string CommitterName = "Evergreen ConfigStore";
    private const string CommitterEmail = "configstore@evergreen.local";

    private readonly Repository _repository;
    private readonly string _branch;

    private WorkRepository(Repository repository, string branch)
    {
        _repository = repository;
        _branch = branch;
    }

    /// <summary>The bare repository's folder, for <see cref="GitCli"/>.</summary>
    public string GitDirectory => _repository.Info.Path;

    public static WorkRepository Open(PluginRepositoryOptions options)
    {
        var url = options.Url ?? throw new InvalidOperationException(
            "ConfigStore:Repository:Url is not set. Set it (env ConfigStore__Repository__Url) to the plugin repository's path or URL.");
        var repository = BareRepository.Open(options, url, "proposals.git");
        return new WorkRepository(repository, options.Branch);
    }

    /// <summary>Fetches the tracked branch and returns its head; null when the remote has no such branch.</summary>
    public Commit? FetchTracked() => Fetch(_branch);

    /// <summary>Fetches a branch of the remote and returns its head; null when the remote has no such branch.</summary>
    public Commit? Fetch(string branch)
    {
        var tracking = $"refs/remotes/{RemoteName}/{branch}";
        // Never shallow: libgit2 1.5 lays out the fetch options without the depth field (../shared/DEPENDENCIES.md).
        Commands.Fetch(_repository, RemoteName, [$"+refs/heads/{branch}:{tracking}"], new FetchOptions { Prune = false }, logMessage: null);
        return _repository.Refs[tracking]?.ResolveToDirectReference()?.Target as Commit;
    }

    public Commit? Find(string commitId) => _repository.Lookup<Commit>(commitId);

    /// <summary>True when <paramref name="ancestor"/> is <paramref name="descendant"/> or one of its ancestors.</summary>
    public bool IsAncestor(Commit ancestor, Commit descendant) =>
        ancestor.Sha == descendant.Sha || _repository.ObjectDatabase.FindMergeBase(ancestor, descendant)?.Sha == ancestor.Sha;

    /// <summary>Commits <paramref name="changes"/> on top of <paramref name="parent"/>, without touching any branch.</summary>
    public Commit CreateCommit(Commit parent, IReadOnlyList<FileChange> changes, string message, string authorName, string authorEmail, DateTimeOffset when)
    {
        var tree = TreeDefinition.From(parent);
        foreach (var change in changes)
        {
            if (change.Content is null)
            {
                tree.Remove(change.Path);
                continue;
            }

            using var content = new MemoryStream(change.Content, writable: false);
            var blob = _repository.ObjectDatabase.CreateBlob(content);
            var mode = parent[change.Path] is { Mode: Mode.ExecutableFile } ? Mode.ExecutableFile : Mode.NonExecutableFile;
            tree.Add(change.Path, blob, mode);
        }

        var author = new Signature(authorName, authorEmail, when);
        return _repository.ObjectDatabase.CreateCommit(
            author, Committed(when), message, _repository.ObjectDatabase.CreateTree(tree), [parent], prettifyMessage: true);
    }

    /// <summary>Merges the trees in memory; nothing is written when the result has conflicts.</summary>
    public MergeTreeResult Merge(Commit ours, Commit theirs) =>
        _repository.ObjectDatabase.MergeCommits(ours, theirs, new MergeTreeOptions { FailOnConflict = false, SkipReuc = true });

    public Commit CreateMergeCommit(Commit ours, Commit theirs, Tree tree, string message, DateTimeOffset when) =>
        _repository.ObjectDatabase.CreateCommit(Committed(when), Committed(when), message, tree, [ours, theirs], prettifyMessage: true);

    /// <summary>Points the remote's <paramref name="branch"/> at <paramref name="commit"/>; never forces.</summary>
    /// <returns>Null when the remote accepted it, otherwise its reason (e.g. the branch moved, or already exists elsewhere).</returns>
    public string? Push(string branch, Commit commit)
    {
        var local = $"refs/heads/{branch}";
        _repository.Refs.Add(local, commit.Id, allowOverwrite: true);
        return PushSpec($"{local}:{local}");
    }

    /// <summary>Pushes the tracked branch to <paramref name="commit"/>; the remote refuses it when the branch moved meanwhile.</summary>
    /// <returns>Null when the remote accepted it, otherwise its reason.</returns>
    public string? PushTracked(Commit commit) => Push(_branch, commit);

    /// <summary>Deletes <paramref name="branch"/> on the remote (and here).</summary>
    /// <returns>Null when the remote accepted it, otherwise its reason.</returns>
    public string? DeleteRemoteBranch(string branch)
    {
        DeleteLocalBranch(branch);
        return PushSpec($":refs/heads/{branch}");
    }

    public void DeleteLocalBranch(string branch)
    {
        var local = $"refs/heads/{branch}";
        if (_repository.Refs[local] is not null)
        {
            _repository.Refs.Remove(local);
        }
    }

    public void Dispose() => _repository.Dispose();

    private string? PushSpec(string refspec)
    {
        string? rejection = null;
        var options = new PushOptions { OnPushStatusError = error => rejection = $"{error.Reference}: {error.Message}" };
        try
        {
            _repository.Network.Push(_repository.Network.Remotes[RemoteName], refspec, options);
        }
        catch (NonFastForwardException ex)
        {
            return ex.Message;
        }

        return rejection;
    }

    private static Signature Committed(DateTimeOffset when) => new(CommitterName, CommitterEmail, when);
}

/// <summary>One file a proposal writes (<see cref="Content"/>) or deletes (null content), at a normalized path.</summary>
internal sealed record FileChange(string Path, byte[]? Content);
