using Evergreen.Testing;

namespace Evergreen.AgentRuntime.Tests.Support;

/// <summary>A working clone pushing to a bare remote, which ConfigStore tracks; plus a work folder for ConfigStore's mirror.</summary>
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
        return new PluginRepository(clone, remote, Path.Combine(Path.GetTempPath(), $"evergreen-runtime-test-{Guid.NewGuid():N}"));
    }

    public static string Manifest(string name, string version = "1.0.0") =>
        $$"""{ "name": "{{name}}", "version": "{{version}}", "description": "The {{name}} plugin." }""";

    public static string Agent(string name, string body) => $"---\nname: {name}\ndescription: The {name} agent.\n---\n\n{body}\n";

    public async Task<string> CommitAndPushAsync(string message, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            Clone.WriteFile(path, content);
        }

        var commit = await Clone.CommitAsync(message, ct: TestContext.Current.CancellationToken).DefaultTimeout();
        await Clone.PushAsync(branch: "HEAD:refs/heads/main", ct: TestContext.Current.CancellationToken).DefaultTimeout();
        return commit;
    }

    public async ValueTask DisposeAsync()
    {
        await Clone.DisposeAsync();
        try
        {
            Directory.Delete(WorkFolder, recursive: true);
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            // A temporary folder; the OS cleans it eventually.
        }
    }
}
