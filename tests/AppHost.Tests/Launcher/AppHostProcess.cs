using System.Text.RegularExpressions;
using Evergreen.AppHost.Hosting.Processes;
using Evergreen.Testing;

namespace Evergreen.AppHost.Tests.Launcher;

/// <summary>The real launcher binary (<c>dotnet AppHost.dll</c>), started as a separate process the way <c>./eng/run</c> starts it.</summary>
internal sealed partial class AppHostProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private AppHostProcess(IReadOnlyList<string> arguments)
    {
        var assembly = Path.Combine(RepositoryRoot.Path, "AppHost", "bin", BuildConfiguration, "net10.0", "AppHost.dll");
        _process = ChildProcess.Start(
            new ProcessSpec { FileName = "dotnet", Arguments = [assembly, .. arguments] },
            (line, _) => OnLine(line));
        _ = _process.Exited.ContinueWith(t => _ready.TrySetException(new InvalidOperationException($"The AppHost exited with {t.Result} before it was ready:\n{Output}")), TaskScheduler.Default);
    }

    public int Pid => _process.Id;

    public Task<int> Exited => _process.Exited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    // The test assembly's own folder tells which configuration the solution was built in.
    private static string BuildConfiguration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static AppHostProcess Start(params string[] arguments) => new(arguments);

    /// <summary>Waits for the "Evergreen is running." banner and returns the control API address it printed.</summary>
    public Task<Uri> WaitUntilReadyAsync() => _ready.Task;

    /// <summary>SIGTERM, as a service manager or <c>kill</c> sends; true when the launcher exited by itself within <paramref name="grace"/>.</summary>
    public Task<bool> StopGracefullyAsync(TimeSpan grace) => _process.StopAsync(grace);

    /// <summary>SIGKILL to the launcher alone: it gets no chance to stop its children.</summary>
    public void KillLauncherOnly() => System.Diagnostics.Process.GetProcessById(Pid).Kill(entireProcessTree: false);

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();

    private void OnLine(string line)
    {
        lock (_output)
        {
            _output.Add(line);
        }

        if (DashboardLine().Match(line) is { Success: true } match)
        {
            _ready.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Dashboard and control API:\s+(http://\S+)")]
    private static partial Regex DashboardLine();
}
