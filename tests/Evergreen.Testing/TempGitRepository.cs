using Evergreen.AppHost.Hosting.Git;

namespace Evergreen.Testing;

/// <summary>
/// A real git repository in a fresh temporary folder, for tests: write files, commit, branch and push to a bare
/// remote next to it. Disposing deletes the folder, including any remote created with <see cref="CreateBareRemoteAsync"/>.
/// </summary>
/// <remarks>
/// git runs through <see cref="GitCommand"/>: commits are made by <c>Evergreen AppHost &lt;apphost@evergreen.local&gt;</c>
/// unless an author is given, repositories start on <c>main</c>, and the machine's git configuration is ignored, so
/// tests behave the same everywhere. An instance is not thread safe; separate instances are independent.
/// </remarks>
public sealed class TempGitRepository : IAsyncDisposable
{
    // The folder deleted on dispose: for a repository made by CreateAsync it also holds its remotes.
    private readonly string _root;

    private TempGitRepository(string root, string path, bool isBare)
    {
        _root = root;
        Path = path;
        IsBare = isBare;
    }

    /// <summary>Full path of the repository: the work tree, or the repository itself when <see cref="IsBare"/>.</summary>
    public string Path { get; }

    /// <summary>True for a bare repository, which has no work tree: it can be pushed to but not written or committed in.</summary>
    public bool IsBare { get; }

    /// <summary>Creates an empty repository on branch <c>main</c> in a new temporary folder.</summary>
    /// <param name="bare">True for a bare repository (no work tree).</param>
    /// <param name="ct">Cancels the call.</param>
    public static async Task<TempGitRepository> CreateAsync(bool bare = false, CancellationToken ct = default)
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"evergreen-git-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var repository = new TempGitRepository(root, System.IO.Path.Combine(root, bare ? "repo.git" : "repo"), bare);
        try
        {
            await GitCommand.RunCheckedAsync(root, InitArguments(repository.Path, bare), ct);
            return repository;
        }
        catch
        {
            await repository.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes a UTF-8 file (no byte-order mark) at a path relative to the work tree, creating its folders.</summary>
    /// <param name="relativePath">A path inside the work tree, with <c>/</c> separators, e.g. <c>agents/reviewer.md</c>.</param>
    /// <param name="content">The exact content; line endings are kept as given.</param>
    /// <returns>This repository, so calls can be chained.</returns>
    public TempGitRepository WriteFile(string relativePath, string content)
    {
        var fullPath = ResolveInWorkTree(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        File.WriteAllText(fullPath, content);
        return this;
    }

    /// <summary>Deletes a file from the work tree; the deletion is part of the next <see cref="CommitAsync"/>.</summary>
    /// <param name="relativePath">A path inside the work tree, with <c>/</c> separators.</param>
    /// <returns>This repository, so calls can be chained.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public TempGitRepository DeleteFile(string relativePath)
    {
        var fullPath = ResolveInWorkTree(relativePath);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"'{relativePath}' does not exist in {Path}.", fullPath);
        }

        File.Delete(fullPath);
        return this;
    }

    /// <summary>Stages every change in the work tree and commits it.</summary>
    /// <param name="message">The commit message.</param>
    /// <param name="author">The author as <c>Name &lt;email&gt;</c>; <see langword="null"/> means the fixed Evergreen identity.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The SHA of the new commit.</returns>
    /// <exception cref="Evergreen.AppHost.Hosting.HostingException">git refuses, e.g. because there is nothing to commit.</exception>
    public async Task<string> CommitAsync(string message, string? author = null, CancellationToken ct = default)
    {
        EnsureWorkTree();
        await GitAsync(["add", "--all"], ct);
        await GitAsync(author is null
            ? ["commit", "--quiet", "--message", message]
            : ["commit", "--quiet", "--message", message, $"--author={author}"], ct);
        return await GitAsync(["rev-parse", "HEAD"], ct);
    }

    /// <summary>Creates a branch at the current commit and, by default, switches the work tree to it.</summary>
    /// <param name="name">The branch name.</param>
    /// <param name="checkout">False to create the branch without switching to it.</param>
    /// <param name="ct">Cancels the call.</param>
    public Task CreateBranchAsync(string name, bool checkout = true, CancellationToken ct = default) =>
        GitAsync(checkout ? ["switch", "--quiet", "--create", name] : ["branch", name], ct);

    /// <summary>Switches the work tree to an existing branch.</summary>
    /// <param name="name">The branch name.</param>
    /// <param name="ct">Cancels the call.</param>
    public Task CheckoutAsync(string name, CancellationToken ct = default) => GitAsync(["switch", "--quiet", name], ct);

    /// <summary>
    /// Creates an empty bare repository next to this one (inside this repository's temporary folder, deleted with it)
    /// and registers it as a remote.
    /// </summary>
    /// <param name="name">The remote name; also names the folder (<c>&lt;name&gt;.git</c>).</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The remote. Disposing it deletes only the remote; disposing this repository deletes both.</returns>
    public async Task<TempGitRepository> CreateBareRemoteAsync(string name = "origin", CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var remotePath = System.IO.Path.Combine(_root, $"{name}.git");
        await GitCommand.RunCheckedAsync(_root, InitArguments(remotePath, bare: true), ct);
        await GitAsync(["remote", "add", name, remotePath], ct);
        return new TempGitRepository(remotePath, remotePath, isBare: true);
    }

    /// <summary>Pushes a branch to a remote, creating the branch there when it is new.</summary>
    /// <param name="remote">The remote name, or a path to a repository.</param>
    /// <param name="branch">The branch to push; <see langword="null"/> means the current branch.</param>
    /// <param name="force">True to overwrite the remote branch even when the push is not a fast-forward.</param>
    /// <param name="ct">Cancels the call.</param>
    public Task PushAsync(string remote = "origin", string? branch = null, bool force = false, CancellationToken ct = default) =>
        GitAsync(force
            ? ["push", "--quiet", "--force", remote, branch ?? "HEAD"]
            : ["push", "--quiet", remote, branch ?? "HEAD"], ct);

    /// <summary>Runs any git command in this repository, for what the helpers above do not cover.</summary>
    /// <param name="arguments">The arguments after <c>git</c>, one item per argument.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>git's standard output without the trailing newline.</returns>
    /// <exception cref="Evergreen.AppHost.Hosting.HostingException">git exits with a code other than 0.</exception>
    public Task<string> GitAsync(IEnumerable<string> arguments, CancellationToken ct = default) =>
        GitCommand.RunCheckedAsync(Path, arguments, ct);

    /// <summary>Deletes the temporary folder. Safe to call more than once.</summary>
    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already deleted, e.g. the remote's folder went with its parent repository.
        }

        return ValueTask.CompletedTask;
    }

    private static string[] InitArguments(string path, bool bare) =>
        bare ? ["init", "--quiet", "--bare", path] : ["init", "--quiet", path];

    private string ResolveInWorkTree(string relativePath)
    {
        EnsureWorkTree();
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        var fullPath = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relativePath));
        return fullPath.StartsWith(Path + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? fullPath
            : throw new ArgumentException($"'{relativePath}' is outside the work tree {Path}.", nameof(relativePath));
    }

    private void EnsureWorkTree()
    {
        if (IsBare)
        {
            throw new InvalidOperationException($"{Path} is a bare repository: write and commit in a clone, then push to it.");
        }
    }
}
