using Evergreen.AppHost.Hosting;
using Evergreen.AppHost.Hosting.Processes;

namespace Evergreen.Testing;

/// <summary>
/// Runs one server process for a fixture: starts it and waits until it is ready (failing at once if it exits first),
/// stops it, and keeps its last output lines for failure messages. Start, stop and dispose are serialized.
/// </summary>
internal sealed class ServerProcessHost(
    string displayName,
    Func<ProcessSpec> createSpec,
    Func<TimeSpan, CancellationToken, Task> waitUntilReady,
    TimeSpan stopGrace) : IAsyncDisposable
{
    private const int LinesKept = 200;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Queue<string> _output = new();
    private ChildProcess? _process;

    /// <summary>The last lines the server wrote, across restarts.</summary>
    public IReadOnlyList<string> RecentOutput
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    /// <summary>The running process's id, or null when stopped.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>Starts the server unless it runs, and waits up to <paramref name="timeout"/> until it is ready.</summary>
    public async Task StartAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_process is { HasExited: false })
            {
                return;
            }

            if (_process is not null)
            {
                await _process.DisposeAsync();
            }

            var process = ChildProcess.Start(createSpec(), Record);
            _process = process;
            using var readiness = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var ready = waitUntilReady(timeout, readiness.Token);
            try
            {
                if (await Task.WhenAny(ready, process.Exited) != ready)
                {
                    await readiness.CancelAsync();
                    throw new InvalidOperationException(
                        $"{displayName} exited with code {await process.Exited} before it was ready. Its last output:{Environment.NewLine}{OutputText()}");
                }

                await ready;
            }
            catch (Exception ex)
            {
                await StopCoreAsync();
                if (ex is HostingException)
                {
                    throw new InvalidOperationException($"{ex.Message} Its last output:{Environment.NewLine}{OutputText()}", ex);
                }

                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the server (its stop signal, then SIGKILL after the grace period). True when it stopped within the grace period.</summary>
    public async Task<bool> StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await StopCoreAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
    }

    private async Task<bool> StopCoreAsync()
    {
        if (_process is not { } process)
        {
            return true;
        }

        var graceful = await process.StopAsync(stopGrace, CancellationToken.None);
        await process.DisposeAsync();
        _process = null;
        return graceful;
    }

    private void Record(string line, bool isStdErr)
    {
        lock (_output)
        {
            if (_output.Count == LinesKept)
            {
                _output.Dequeue();
            }

            _output.Enqueue(line);
        }
    }

    private string OutputText() => string.Join(Environment.NewLine, RecentOutput.TakeLast(40));
}
