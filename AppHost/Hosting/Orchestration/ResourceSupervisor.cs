using Evergreen.AppHost.Hosting.Processes;
using Evergreen.AppHost.Hosting.Resources;

namespace Evergreen.AppHost.Hosting.Orchestration;

/// <summary>
/// Runs one resource: waits for its dependencies, prepares it once, starts its process, probes its health,
/// restarts it with back-off when it crashes, and stops it gracefully on request. Start, stop and restart are
/// serialized and idempotent; the state others read is an immutable <see cref="SupervisorStatus"/> swapped whole.
/// </summary>
internal sealed class ResourceSupervisor(
    Resource resource,
    Func<Resource, ResourceSupervisor> supervisorOf,
    ResourceLogSink logs,
    ProcessRegistry processes,
    AppHostOptions options,
    TimeProvider time) : IAsyncDisposable
{
    // A process that never becomes healthy is given up on after this many starts, so a broken build fails clearly.
    private const int MaxFailedStarts = 5;

    private readonly SemaphoreSlim _commandLock = new(1, 1);
    private readonly Lock _statusLock = new();
    private readonly RestartBackoff _backoff = new(time);
    private SupervisorStatus _status = new();
    private TaskCompletionSource _changed = NewSignal();
    private CancellationTokenSource? _runCancellation;
    private Task? _run;
    private bool _prepared;
    private volatile bool _shuttingDown;

    public Resource Resource { get; } = resource;

    public SupervisorStatus Status => Volatile.Read(ref _status);

    private TimeSpan GracePeriod => Resource.GracePeriod ?? options.DefaultGracePeriod;

    /// <summary>Starts the resource unless it is already running. Returns without waiting for health.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => ExclusiveAsync(StartCoreAsync, cancellationToken);

    /// <summary>Stops the resource gracefully (its stop signal, then SIGKILL after the grace period). Idempotent.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => ExclusiveAsync(StopCoreAsync, cancellationToken);

    /// <summary>Stops gracefully, then starts again; the new process gets a new pid. Returns once it has started.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await ExclusiveAsync(
            async () =>
            {
                await StopCoreAsync();
                Update(status => status with { Restarts = status.Restarts + 1 });
                await StartCoreAsync();
            },
            cancellationToken);

        // A resource without a process (the git repository) has no pid to wait for.
        var runsProcess = Resource.CreateProcessSpec() is not null;
        await WaitUntilAsync(status => status.Pid is not null || status.IsFailed || !runsProcess, cancellationToken);
    }

    /// <summary>
    /// Marks the whole application as stopping: a process that exits from now on is not restarted, because its
    /// exit is part of the shutdown (a dependency went away first, or it received the signal itself).
    /// </summary>
    public void BeginShutdown() => _shuttingDown = true;

    /// <summary>Waits until <paramref name="condition"/> holds for the current status and returns that status.</summary>
    public async Task<SupervisorStatus> WaitUntilAsync(Func<SupervisorStatus, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            SupervisorStatus status;
            lock (_statusLock)
            {
                status = _status;
                changed = _changed.Task;
            }

            if (condition(status))
            {
                return status;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _commandLock.Dispose();
    }

    // Start, stop and restart never overlap: each sees the state the previous one left.
    private async Task ExclusiveAsync(Func<Task> command, CancellationToken cancellationToken)
    {
        await _commandLock.WaitAsync(cancellationToken);
        try
        {
            await command();
        }
        finally
        {
            _commandLock.Release();
        }
    }

    private Task StartCoreAsync()
    {
        if (_run is { IsCompleted: false })
        {
            return Task.CompletedTask;
        }

        _runCancellation?.Dispose();
        _runCancellation = new CancellationTokenSource();
        var token = _runCancellation.Token;
        _run = Task.Run(() => RunAsync(token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopCoreAsync()
    {
        if (_run is null)
        {
            return;
        }

        await _runCancellation!.CancelAsync();
        await _run;
        _run = null;
        Update(status => status with { State = ResourceState.Stopped, Health = ResourceHealth.Unknown, Pid = null, Reason = null });
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WaitForDependenciesAsync(cancellationToken);
            if (!_prepared)
            {
                Update(status => status with { State = ResourceState.Starting, Reason = "preparing" });
                await StopLeftoverAsync(cancellationToken);
                await Resource.PrepareAsync(cancellationToken);
                _prepared = true;
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                var spec = Resource.CreateProcessSpec();
                if (spec is null)
                {
                    await WatchWithoutProcessAsync(cancellationToken);
                    return;
                }

                var (exitCode, wasHealthy) = await RunProcessOnceAsync(spec, cancellationToken);
                if (_shuttingDown)
                {
                    Update(status => status with { State = ResourceState.Stopped, Reason = $"exited with code {exitCode} during shutdown" });
                    return;
                }

                if (!wasHealthy && _backoff.ConsecutiveFailures + 1 >= MaxFailedStarts)
                {
                    Fail($"'{Resource.Name}' exited with code {exitCode} {MaxFailedStarts} times without becoming healthy; its last output is above (or GET /api/resources/{Resource.Name}/logs).");
                    return;
                }

                var delay = _backoff.NextDelay(Status.HealthySince);
                Log.Crashed(logs, Resource.Name, exitCode, delay);
                Update(status => status with
                {
                    State = ResourceState.Restarting,
                    Restarts = status.Restarts + 1,
                    Reason = $"exited with code {exitCode}; restarting in {delay.TotalSeconds:0} s",
                });
                await Task.Delay(delay, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is HostingException or DependencyFailedException)
        {
            Fail(ex.Message);
        }
        catch (Exception ex)
        {
            Fail($"'{Resource.Name}' failed: {ex.Message}");
        }
    }

    private async Task WaitForDependenciesAsync(CancellationToken cancellationToken)
    {
        foreach (var dependency in Resource.WaitsFor)
        {
            Update(status => status with { State = ResourceState.Waiting, Reason = $"waiting for {dependency.Name}" });
            var dependencyStatus = await supervisorOf(dependency).WaitUntilAsync(s => s.IsHealthy || s.IsFailed, cancellationToken);
            if (dependencyStatus.IsFailed)
            {
                throw new DependencyFailedException(dependency.Name);
            }
        }
    }

    private async Task<(int ExitCode, bool WasHealthy)> RunProcessOnceAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        await using var process = ChildProcess.Start(spec, (line, isError) => logs.Write(Resource.Name, line, isError));
        processes.Record(Resource.Name, process.Id);
        Update(status => status with
        {
            State = ResourceState.Starting,
            Health = ResourceHealth.Unknown,
            Reason = "starting",
            Pid = process.Id,
            StartedAt = time.GetUtcNow(),
            HealthySince = null,
        });

        using var monitorCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var monitor = MonitorHealthAsync(monitorCancellation.Token);
        int exitCode;
        try
        {
            exitCode = await process.Exited.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await monitorCancellation.CancelAsync();
            await monitor;
            Update(status => status with { State = ResourceState.Stopping, Reason = "stopping" });
            var graceful = await process.StopAsync(GracePeriod, CancellationToken.None);
            if (!graceful)
            {
                Log.Killed(logs, Resource.Name, GracePeriod);
            }

            processes.Forget(Resource.Name);
            Update(status => status with { Pid = null, LastExitCode = process.HasExited ? process.Exited.Result : null });
            throw;
        }

        await monitorCancellation.CancelAsync();
        var wasHealthy = await monitor;
        processes.Forget(Resource.Name);
        Update(status => status with { Pid = null, Health = ResourceHealth.Unknown, LastExitCode = exitCode });
        return (exitCode, wasHealthy);
    }

    // Returns whether the process became healthy at least once.
    private async Task<bool> MonitorHealthAsync(CancellationToken cancellationToken)
    {
        var wasHealthy = false;
        var startedAt = time.GetUtcNow();
        var reportedSlow = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var result = await ProbeAsync(cancellationToken);
                if (result.Healthy && !wasHealthy)
                {
                    await Resource.OnHealthyAsync(cancellationToken);
                    wasHealthy = true;
                    _backoff.Reset();
                    Update(status => status with { State = ResourceState.Running, Health = ResourceHealth.Healthy, Reason = null, HealthySince = time.GetUtcNow() });
                    Log.Healthy(logs, Resource.Name, time.GetUtcNow() - startedAt);
                }
                else if (result.Healthy)
                {
                    Update(status => status with { Health = ResourceHealth.Healthy, Reason = null });
                }
                else
                {
                    Update(status => status with { Health = wasHealthy ? ResourceHealth.Unhealthy : ResourceHealth.Unknown, Reason = result.Description });
                    if (!wasHealthy && !reportedSlow && time.GetUtcNow() - startedAt > options.HealthyTimeout)
                    {
                        reportedSlow = true;
                        Log.NotHealthyYet(logs, Resource.Name, options.HealthyTimeout, result.Description);
                    }
                }

                await Task.Delay(wasHealthy ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(200), time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return wasHealthy;
    }

    private async Task WatchWithoutProcessAsync(CancellationToken cancellationToken)
    {
        var result = await ProbeAsync(cancellationToken);
        if (!result.Healthy)
        {
            Fail($"'{Resource.Name}' is not usable: {result.Description}");
            return;
        }

        await Resource.OnHealthyAsync(cancellationToken);
        Update(status => status with { State = ResourceState.Running, Health = ResourceHealth.Healthy, Reason = null, StartedAt = time.GetUtcNow(), HealthySince = time.GetUtcNow() });
        await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
    }

    private async Task StopLeftoverAsync(CancellationToken cancellationToken)
    {
        if (Resource.CreateProcessSpec() is { } spec
            && await processes.StopLeftoverAsync(Resource.Name, spec.StopSignal, GracePeriod, cancellationToken) is { } pid)
        {
            Log.LeftoverStopped(logs, Resource.Name, pid);
        }
    }

    private async Task<HealthProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Resource.ProbeHealthAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthProbeResult.Unhealthy(ex.Message);
        }
    }

    private void Fail(string reason)
    {
        Log.Failed(logs, Resource.Name, reason);
        Update(status => status with { State = ResourceState.Failed, Health = ResourceHealth.Unhealthy, Reason = reason, Pid = null });
    }

    private void Update(Func<SupervisorStatus, SupervisorStatus> change)
    {
        TaskCompletionSource changed;
        lock (_statusLock)
        {
            Volatile.Write(ref _status, change(_status));
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A resource could not start because one it waits for failed; the root cause is reported by that one.</summary>
internal sealed class DependencyFailedException(string dependency)
    : Exception($"not started: it waits for '{dependency}', which failed");
