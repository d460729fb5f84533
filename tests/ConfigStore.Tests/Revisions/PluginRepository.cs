using Evergreen.Testing;

namespace Evergreen.ConfigStore.Tests.Revisions;

/// <summary>A working clone that pushes to a bare remote, which is what ConfigStore tracks; plus a work folder for its mirror.</summary>
internal sealed class PluginRepository : IAsyncDisposable
{
    private PluginRepository(TempGitRepository clone, TempGitRepository remote, string workFolder)
    {
        Clone = clone;
        Remote = remote;
        WorkFolder = workFolder;
    }

    public TempGitRepository Clone { get; }

    public TempGitRepository Remote { get; }

    public string Url => Remote.Path;

    public string WorkFolder { get; }

    public static async Task<PluginRepository> CreateAsync()
    {
        var clone = await TempGitRepository.CreateAsync(ct: TestContext.Current.CancellationToken).DefaultTimeout();
        var remote = await clone.CreateBareRemoteAsync(ct: TestContext.Current.CancellationToken).DefaultTimeout();
        var workFolder = Path.Combine(Path.GetTempPath(), $"evergreen-configstore-test-{Guid.NewGuid():N}");
        return new PluginRepository(clone, remote, workFolder);
    }

    public static string Manifest(string name) => $$"""{ "name": "{{name}}", "version": "1.0.0" }""";

    public static string Agent(string name) => $"---\nname: {name}\ndescription: The {name} agent.\n---\n\nYou are {name}.\n";

    public async Task<string> CommitAsync(string message, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            Clone.WriteFile(path, content);
        }

        return await Clone.CommitAsync(message, ct: TestContext.Current.CancellationToken).DefaultTimeout();
    }

    public Task PushAsync() => Clone.PushAsync(branch: "HEAD:refs/heads/main", ct: TestContext.Current.CancellationToken).DefaultTimeout();

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
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // A temporary folder; the OS cleans it eventually.
        }
    }
}
