namespace Evergreen.AppHost.Hosting.Git;

/// <summary>
/// Creates the local plugin repository (a bare git repository, <c>.evergreen/plugins.git</c> by default) from a seed
/// folder the first time the AppHost starts, and reads its head afterwards.
/// </summary>
/// <remarks>
/// Seeding happens once: an existing repository is never written to, so changes merged into it survive restarts.
/// The methods are safe to call concurrently, also from two processes: the repository appears at its path in one
/// atomic rename, complete or not at all.
/// </remarks>
public static class PluginRepository
{
    /// <summary>The message of the single commit a newly seeded repository starts with.</summary>
    public const string SeedCommitMessage = "Seed plugins from samples/plugins";

    // File enumeration skips "hidden" entries by default, and on Unix every dot-file is hidden: .claude-plugin/ and
    // .mcp.json would silently go missing from the seed.
    private static readonly EnumerationOptions AllEntries = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
    };

    /// <summary>
    /// Returns the repository at <paramref name="bareRepositoryPath"/>, creating it first when it does not exist:
    /// a bare repository whose <paramref name="branch"/> holds one commit with the content of <paramref name="seedDirectory"/>.
    /// </summary>
    /// <param name="bareRepositoryPath">Where the bare repository is (or goes). A missing or empty directory is seeded.</param>
    /// <param name="seedDirectory">The folder whose files make up the first commit; read only when seeding.</param>
    /// <param name="branch">The branch to check or create, e.g. <c>main</c>.</param>
    /// <param name="ct">Cancels the work; a cancelled seed leaves nothing at <paramref name="bareRepositoryPath"/>.</param>
    /// <exception cref="HostingException">
    /// git is not installed; the path exists but is not a bare git repository, or lacks <paramref name="branch"/>;
    /// the seed folder does not exist; or a git command fails. The message names the cause and the fix.
    /// </exception>
    /// <exception cref="ArgumentException"><paramref name="branch"/> is not a valid branch name.</exception>
    public static async Task<PluginRepositoryInfo> EnsureSeededAsync(string bareRepositoryPath, string seedDirectory, string branch, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bareRepositoryPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(seedDirectory);
        await EnsureValidBranchNameAsync(branch, ct);

        var path = Path.GetFullPath(bareRepositoryPath);
        if (File.Exists(path) || (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any()))
        {
            return await OpenExistingAsync(path, branch, ct);
        }

        var seed = Path.GetFullPath(seedDirectory);
        if (!Directory.Exists(seed))
        {
            throw new HostingException($"The plugin seed folder '{seed}' does not exist, so '{path}' cannot be created. Restore it (git checkout -- samples/plugins) or point the AppHost at another seed folder.");
        }

        return await SeedAsync(path, seed, branch, ct);
    }

    /// <summary>
    /// Returns the commit SHA that <paramref name="branch"/> points at, or <see langword="null"/> when the repository
    /// or the branch does not exist or cannot be read. Cheap enough for a health check.
    /// </summary>
    /// <param name="bareRepositoryPath">Path of the bare repository.</param>
    /// <param name="branch">The branch to read, e.g. <c>main</c>.</param>
    /// <param name="ct">Cancels the call and kills the git process.</param>
    /// <exception cref="HostingException">git itself cannot be started.</exception>
    public static async Task<string?> GetHeadAsync(string bareRepositoryPath, string branch, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bareRepositoryPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        var result = await GitCommand.RunAsync(null, RevParseBranch(Path.GetFullPath(bareRepositoryPath), branch), ct);
        return result.Succeeded ? result.StandardOutput.Trim() : null;
    }

    private static async Task<PluginRepositoryInfo> OpenExistingAsync(string path, string branch, CancellationToken ct)
    {
        var head = await GitCommand.RunAsync(null, RevParseBranch(path, branch), ct);
        if (head.Succeeded)
        {
            return new PluginRepositoryInfo { Path = path, Branch = branch, HeadCommit = head.StandardOutput.Trim(), Seeded = false };
        }

        var probe = await GitCommand.RunAsync(null, [$"--git-dir={path}", "rev-parse", "--is-bare-repository"], ct);
        if (!probe.Succeeded || probe.StandardOutput.Trim() != "true")
        {
            var cause = probe.Succeeded ? "it is a work tree, not a bare repository" : probe.ErrorSummary;
            throw new HostingException($"The plugin repository path '{path}' exists but is not a bare git repository ({cause}). Move it away or delete it, and the AppHost seeds a new one at the next start.");
        }

        throw new HostingException($"The plugin repository '{path}' has no branch '{branch}'. Push that branch to it, or move the repository away or delete it, and the AppHost seeds a new one at the next start.");
    }

    private static async Task<PluginRepositoryInfo> SeedAsync(string path, string seed, string branch, CancellationToken ct)
    {
        // Built beside its final place (same file system) and renamed in at the end, so a crash or a cancellation
        // never leaves a half-seeded repository that the next start would mistake for a real one.
        var staging = $"{path}.seeding-{Guid.NewGuid():N}";
        var workTree = Path.Combine(Path.GetTempPath(), $"evergreen-seed-{Guid.NewGuid():N}");
        try
        {
            CopySeed(seed, workTree, ct);
            await GitCommand.RunCheckedAsync(workTree, ["init", "--quiet", $"--initial-branch={branch}"], ct);
            await GitCommand.RunCheckedAsync(workTree, ["add", "--all"], ct);
            await GitCommand.RunCheckedAsync(workTree, ["commit", "--quiet", "--message", SeedCommitMessage], ct);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await GitCommand.RunCheckedAsync(null, ["init", "--quiet", "--bare", $"--initial-branch={branch}", staging], ct);
            await GitCommand.RunCheckedAsync(workTree, ["push", "--quiet", staging, $"HEAD:refs/heads/{branch}"], ct);
            var head = await GitCommand.RunCheckedAsync(null, RevParseBranch(staging, branch), ct);

            return TryMoveIntoPlace(staging, path)
                ? new PluginRepositoryInfo { Path = path, Branch = branch, HeadCommit = head, Seeded = true }
                : await OpenExistingAsync(path, branch, ct);
        }
        finally
        {
            DeleteQuietly(workTree);
            DeleteQuietly(staging);
        }
    }

    private static bool TryMoveIntoPlace(string staging, string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path); // empty, or the caller would not seed; Directory.Move refuses an existing target
            }

            Directory.Move(staging, path);
            return true;
        }
        catch (IOException) when (Directory.Exists(path))
        {
            // Another AppHost seeded it between our check and our rename: theirs wins, ours is discarded.
            return false;
        }
    }

    private static void CopySeed(string seed, string workTree, CancellationToken ct)
    {
        Directory.CreateDirectory(workTree);
        foreach (var file in Directory.EnumerateFiles(seed, "*", AllEntries))
        {
            ct.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(seed, file);
            // A seed folder that is itself a checkout must not smuggle its own repository into the commit.
            if (relative.Split(Path.DirectorySeparatorChar).Contains(".git"))
            {
                continue;
            }

            var target = Path.Combine(workTree, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static async Task EnsureValidBranchNameAsync(string branch, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        var check = await GitCommand.RunAsync(null, ["check-ref-format", $"refs/heads/{branch}"], ct);
        if (!check.Succeeded)
        {
            throw new ArgumentException($"'{branch}' is not a valid git branch name.", nameof(branch));
        }
    }

    private static string[] RevParseBranch(string gitDirectory, string branch) =>
        [$"--git-dir={gitDirectory}", "rev-parse", "--verify", "--quiet", $"refs/heads/{branch}"];

    private static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary folder is harmless; the seed result is what matters.
        }
    }
}
