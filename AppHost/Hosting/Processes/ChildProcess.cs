using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Evergreen.AppHost.Hosting.Processes;

/// <summary>
/// A running child process whose output is delivered line by line and which stops gracefully: its
/// <see cref="ProcessSpec.StopSignal"/>, a grace period, then SIGKILL for it and its descendants.
/// </summary>
/// <remarks>
/// All members are thread-safe. The instance owns the OS process: dispose it, which stops the process if it still runs.
/// Standard input is closed at start, so a child never reads the launcher's terminal. The process is not killed if the
/// launcher itself dies abruptly (SIGKILL): supervisors clean up leftovers on their next start.
/// </remarks>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan DisposeGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KillLimit = TimeSpan.FromSeconds(10);

    // A descendant that escaped the kill (a daemon in its own session) can hold the pipes open after the process is gone.
    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly PosixSignal _stopSignal;
    private readonly Action<string, bool>? _onOutputLine;
    private readonly TaskCompletionSource _processExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopRequested;
    private int _disposed;

    private ChildProcess(ProcessSpec spec, Action<string, bool>? onOutputLine)
    {
        _stopSignal = spec.StopSignal;
        _onOutputLine = onOutputLine;
        _process = new Process { StartInfo = ProcessLaunch.CreateStartInfo(spec), EnableRaisingEvents = true };
        _process.Exited += (_, _) => _processExited.TrySetResult();
        _process.OutputDataReceived += (_, e) => Deliver(e.Data, isStdErr: false);
        _process.ErrorDataReceived += (_, e) => Deliver(e.Data, isStdErr: true);
        try
        {
            _process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            _process.Dispose();
            throw new ProcessStartFailedException($"'{spec.FileName}' could not be started: {ex.Message}. Check that it is a program this user may run.", ex);
        }

        Id = _process.Id;
        CloseStandardInput();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Exited = WatchAsync();
    }

    /// <summary>The OS process id (the program's own, also when it runs as another user).</summary>
    public int Id { get; }

    /// <summary>
    /// Completes with the exit code (128 + signal number when a signal ended it) once the process has exited and its
    /// output has been delivered. Never faults.
    /// </summary>
    public Task<int> Exited { get; }

    /// <summary>True once <see cref="Exited"/> has completed.</summary>
    public bool HasExited => Exited.IsCompleted;

    /// <summary>
    /// Starts <paramref name="spec"/>. <paramref name="onOutputLine"/> receives each line of stdout (<c>false</c>) and
    /// stderr (<c>true</c>), from pool threads, possibly concurrently; exceptions it throws are ignored.
    /// </summary>
    /// <exception cref="ProcessStartFailedException">The program is missing or cannot be started; the message names the fix.</exception>
    public static ChildProcess Start(ProcessSpec spec, Action<string, bool>? onOutputLine = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new ChildProcess(spec, onOutputLine);
    }

    /// <summary>
    /// Sends the stop signal, waits up to <paramref name="grace"/>, then kills the process and its descendants.
    /// Idempotent: every call, concurrent or later, observes the first call's stop. Cancelling
    /// <paramref name="cancellationToken"/> stops only the wait, not the stop.
    /// </summary>
    /// <returns>True when the process exited within the grace period (or had exited already); false when it was killed.</returns>
    public Task<bool> StopAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        if (Interlocked.CompareExchange(ref _stopRequested, 1, 0) == 0)
        {
            _ = RunStopAsync(grace);
        }

        return _stopped.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops the process with a short grace period if it still runs, then releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(DisposeGrace, CancellationToken.None);
        if (Exited.IsCompleted)
        {
            _process.Dispose();
        }
    }

    private async Task<int> WatchAsync()
    {
        await _processExited.Task;
        using var drainLimit = new CancellationTokenSource(OutputDrainLimit);
        try
        {
            await _process.WaitForExitAsync(drainLimit.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return _process.ExitCode;
    }

    private async Task RunStopAsync(TimeSpan grace)
    {
        try
        {
            _stopped.TrySetResult(await StopCoreAsync(grace));
        }
        catch (Exception ex)
        {
            _stopped.TrySetException(ex);
        }
    }

    private async Task<bool> StopCoreAsync(TimeSpan grace)
    {
        if (!_processExited.Task.IsCompleted)
        {
            SendStopSignal();
            if (!await CompletesWithinAsync(_processExited.Task, grace))
            {
                Kill();
                if (await CompletesWithinAsync(_processExited.Task, KillLimit))
                {
                    await Exited;
                }

                return false;
            }
        }

        await Exited;
        return true;
    }

    // The runtime reaps the child only after it exits, and _processExited completes after that: until then the pid is
    // ours. A failure (the process is already a zombie, or not ours to signal) is settled by the grace wait and the kill.
    private void SendStopSignal()
    {
        try
        {
            PosixSignals.TrySend(Id, _stopSignal);
        }
        catch (Win32Exception)
        {
        }
    }

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or AggregateException)
        {
            // Already gone, or not ours to kill: the bounded wait that follows reports it.
        }
    }

    private void CloseStandardInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
    }

    private void Deliver(string? line, bool isStdErr)
    {
        if (line is null || _onOutputLine is null)
        {
            return;
        }

        try
        {
            _onOutputLine(line, isStdErr);
        }
        catch (Exception)
        {
            // This runs on a pool thread: a failing sink must neither crash the launcher nor stop the draining
            // that keeps the child from blocking on a full pipe.
        }
    }

    private static async Task<bool> CompletesWithinAsync(Task task, TimeSpan limit)
    {
        try
        {
            await task.WaitAsync(limit);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
