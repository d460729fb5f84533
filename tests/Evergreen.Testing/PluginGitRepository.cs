using Xunit;

namespace Evergreen.Testing;

/// <summary>
/// A working clone that pushes to a bare remote, which is what ConfigStore tracks; plus a work folder for ConfigStore's
/// own git state (mirror, proposals clone). Disposing deletes all three.
/// </summary>
public sealed class PluginGitRepository : IAsyncDisposable
{
    private PluginGitRepository(TempGitRepository clone, TempGitRepository remote, string workFolder)
    {
        Clone = clone;
        Remote = remote;
        WorkFolder = workFolder;
    }

    public TempGitRepository Clone { get; }

    public TempGitRepository Remote { get; }

    public string Url => Remote.Path;

    public string WorkFolder { get; }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static async Task<PluginGitRepository> CreateAsync()
    {
        var clone = await TempGitRepository.CreateAsync(ct: Cancellation).DefaultTimeout();
        var remote = await clone.CreateBareRemoteAsync(ct: Cancellation).DefaultTimeout();
        var workFolder = Path.Combine(Path.GetTempPath(), $"evergreen-plugins-work-{Guid.NewGuid():N}");
        return new PluginGitRepository(clone, remote, workFolder);
    }

    /// <summary>A minimal <c>plugin.json</c>.</summary>
    public static string Manifest(string name, string version = "1.0.0", string? description = null) =>
        description is null
            ? $$"""{ "name": "{{name}}", "version": "{{version}}" }"""
            : $$"""{ "name": "{{name}}", "version": "{{version}}", "description": "{{description}}" }""";

    /// <summary>An agent file whose body is <paramref name="body"/> (default: "You are <paramref name="name"/>.").</summary>
    public static string Agent(string name, string? body = null) =>
        $"---\nname: {name}\ndescription: The {name} agent.\n---\n\n{body ?? $"You are {name}."}\n";

    /// <summary>Writes the files into the clone and commits them; returns the commit id. Nothing is pushed.</summary>
    public async Task<string> CommitAsync(string message, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            Clone.WriteFile(path, content);
        }

        return await Clone.CommitAsync(message, ct: Cancellation).DefaultTimeout();
    }

    /// <summary>Pushes the clone's HEAD to the remote's <c>main</c>.</summary>
    public Task PushAsync() => Clone.PushAsync(branch: "HEAD:refs/heads/main", ct: Cancellation).DefaultTimeout();

    /// <summary>Commits and pushes; returns the commit id.</summary>
    public async Task<string> CommitAndPushAsync(string message, params (string Path, string Content)[] files)
    {
        var commit = await CommitAsync(message, files);
        await PushAsync();
        return commit;
    }

    public async ValueTask DisposeAsync()
    {
        await Clone.DisposeAsync();
        DeleteQuietly(WorkFolder);
    }

    public static void DeleteQuietly(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            // A temporary folder; the OS cleans it eventually.
        }
    }
}
