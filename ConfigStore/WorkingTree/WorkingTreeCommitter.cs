using LibGit2Sharp;

namespace Evergreen.ConfigStore.WorkingTree;

/// <summary>
/// Commits every change in a working tree (added, modified and deleted files; <c>.gitignore</c> respected) on the
/// checked-out branch as "Evergreen ConfigStore". Not thread-safe: the watcher's one loop uses it.
/// </summary>
internal static class WorkingTreeCommitter
{
    public const string AuthorName = "Evergreen ConfigStore";
    public const string AuthorEmail = "configstore@evergreen.local";

    /// <summary>The branch checked out in <paramref name="path"/>, e.g. <c>main</c> (also when it has no commit yet).</summary>
    public static string CheckedOutBranch(string path)
    {
        using var repository = new Repository(path);
        return repository.Head.FriendlyName;
    }

    /// <summary>Stages and commits everything that changed; returns the new commit's id, or null when nothing changed.</summary>
    public static string? CommitAll(string path, DateTimeOffset now)
    {
        using var repository = new Repository(path);
        Commands.Stage(repository, "*");
        var status = repository.RetrieveStatus(new StatusOptions { IncludeUntracked = false, ExcludeSubmodules = true });
        var staged = status.Added.Concat(status.Staged).Concat(status.Removed).Concat(status.RenamedInIndex).Select(static e => e.FilePath)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (staged.Count == 0)
        {
            return null;
        }

        var signature = new Signature(AuthorName, AuthorEmail, now);
        var message = staged.Count == 1
            ? $"Edit {staged[0]}\n\nCommitted by ConfigStore from the watched working tree.\n"
            : $"Edit {staged.Count} files\n\nCommitted by ConfigStore from the watched working tree:\n{string.Concat(staged.Select(static p => $"- {p}\n"))}";
        return repository.Commit(message, signature, signature).Sha;
    }
}
