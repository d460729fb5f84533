using System.Runtime.InteropServices;
using Evergreen.AppHost.Control;
using Evergreen.AppHost.Hosting.Orchestration;
using Evergreen.AppHost.Hosting.Resources;
using Evergreen.AppHost.Telemetry;
using Evergreen.Contracts.Hosting;

namespace Evergreen.AppHost.Hosting;

/// <summary>
/// The running app model: supervises every resource, serves the dashboard and control API, and stops everything in
/// reverse order on Ctrl+C or SIGTERM. <see cref="StartAsync"/> and <see cref="StopAsync"/> are idempotent and safe to
/// call from any thread; <see cref="DisposeAsync"/> stops whatever still runs.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly ResourceOrchestrator _orchestrator;
    private readonly ControlServer _control;
    private readonly ResourceLogSink _logs;
    private readonly OtlpReceiver? _otlp;
    private readonly string? _adminTokenFile;
    private readonly bool _ownedByTestHost;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly int[] _ports;
    private bool _started;
    private bool _stopped;

    internal DistributedApplication(IReadOnlyList<Resource> resources, AppHostOptions options, string dataFolder, string adminToken, string? adminTokenFile, int dashboardPort, int? otlpPort, bool ownedByTestHost)
    {
        DataFolder = dataFolder;
        AdminToken = adminToken;
        _adminTokenFile = adminTokenFile;
        _ownedByTestHost = ownedByTestHost;
        _logs = new ResourceLogSink(Console.Out);
        _orchestrator = new ResourceOrchestrator(resources, _logs, new ProcessRegistry(Path.Combine(dataFolder, "run")), options, TimeProvider.System);
        DashboardUrl = new Uri($"http://127.0.0.1:{dashboardPort}");
        _control = new ControlServer(this, dashboardPort);
        _otlp = otlpPort is { } port ? new OtlpReceiver(Telemetry, port) : null;
        _ports = [.. resources.Select(r => r.Port).Append(dashboardPort).Append(otlpPort).OfType<int>()];
    }

    /// <summary>Creates the builder for the app model; <paramref name="args"/> are configuration (<c>--AppHost:DataFolder=…</c>).</summary>
    public static IDistributedApplicationBuilder CreateBuilder(string[] args) =>
        new DistributedApplicationBuilder(args, DistributedApplicationTestHook.Current);

    /// <summary>The dashboard and control API (<c>/api/resources</c>).</summary>
    public Uri DashboardUrl { get; }

    /// <summary>The data folder.</summary>
    public string DataFolder { get; }

    /// <summary>The admin token the control API and the services require.</summary>
    public string AdminToken { get; }

    internal ResourceLogSink Logs => _logs;

    /// <summary>Traces and logs the built-in OTLP receiver collected (empty when services export elsewhere).</summary>
    internal TelemetryStore Telemetry { get; } = new();

    /// <summary>The current state of every resource, in start order.</summary>
    public IReadOnlyList<ResourceStatus> GetResources() => [.. _orchestrator.Supervisors.Select(ToStatus)];

    /// <summary>The current state of one resource, or null when there is none by that name.</summary>
    public ResourceStatus? GetResource(string name) => _orchestrator.Find(name) is { } supervisor ? ToStatus(supervisor) : null;

    /// <summary>Waits until the resource is healthy; throws <see cref="HostingException"/> if it fails instead.</summary>
    public async Task<ResourceStatus> WaitForResourceHealthyAsync(string name, CancellationToken cancellationToken)
    {
        var supervisor = Require(name);
        var status = await supervisor.WaitUntilAsync(s => s.IsHealthy || s.IsFailed, cancellationToken);
        return status.IsFailed ? throw new HostingException(status.Reason ?? $"'{name}' failed.") : ToStatus(supervisor);
    }

    /// <summary>Restarts a resource gracefully (stop signal, grace period, then kill) and returns once the new process runs.</summary>
    public async Task<ResourceStatus> RestartResourceAsync(string name, CancellationToken cancellationToken)
    {
        var supervisor = Require(name);
        await supervisor.RestartAsync(cancellationToken);
        return ToStatus(supervisor);
    }

    /// <summary>Stops a resource gracefully; it stays stopped until started.</summary>
    public async Task<ResourceStatus> StopResourceAsync(string name, CancellationToken cancellationToken)
    {
        var supervisor = Require(name);
        await supervisor.StopAsync(cancellationToken);
        return ToStatus(supervisor);
    }

    /// <summary>Starts a stopped resource; does nothing to one that runs.</summary>
    public async Task<ResourceStatus> StartResourceAsync(string name, CancellationToken cancellationToken)
    {
        var supervisor = Require(name);
        await supervisor.StartAsync(cancellationToken);
        return ToStatus(supervisor);
    }

    /// <summary>Starts the control API and every resource; returns when all are healthy. Throws <see cref="HostingException"/> with the cause and the fix when something cannot start.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (_started)
            {
                return;
            }

            _started = true;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await _control.StartAsync(cancellationToken);
            if (_otlp is not null)
            {
                await _otlp.StartAsync(cancellationToken);
            }

            await _orchestrator.StartAllAsync(cancellationToken);
            PrintReady(clock.Elapsed);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops every resource in reverse dependency order, then the control API. Idempotent.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            await _orchestrator.StopAllAsync();
            if (_otlp is not null)
            {
                await _otlp.StopAsync();
            }

            await _control.StopAsync();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Starts, then runs until Ctrl+C, SIGTERM or <paramref name="cancellationToken"/>, then stops. A start failure is printed as one line and sets exit code 1.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            await StartAsync(shutdown.Token);
            await Task.Delay(Timeout.InfiniteTimeSpan, shutdown.Token);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
        }
        catch (HostingException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            Environment.ExitCode = 1;
        }
        finally
        {
            Console.WriteLine("Stopping…");
            await StopAsync(CancellationToken.None);
            Console.WriteLine("Stopped.");
        }

        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            shutdown.Cancel();
        }
    }

    /// <summary>Runs the application (see <see cref="RunAsync"/>). Under the testing builder it returns at once: the test owns the lifetime.</summary>
    public void Run()
    {
        if (_ownedByTestHost)
        {
            return;
        }

        RunAsync().GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        await _control.DisposeAsync();
        if (_otlp is not null)
        {
            await _otlp.DisposeAsync();
        }

        // Random ports of resources that never started are still held for them.
        foreach (var port in _ports)
        {
            Network.PortAvailability.Release(port);
        }
    }

    private ResourceSupervisor Require(string name) =>
        _orchestrator.Find(name) ?? throw new KeyNotFoundException($"There is no resource named '{name}'.");

    private static ResourceStatus ToStatus(ResourceSupervisor supervisor)
    {
        var status = supervisor.Status;
        var resource = supervisor.Resource;
        return new ResourceStatus
        {
            Name = resource.Name,
            Kind = resource.Kind,
            State = status.State,
            Health = status.Health,
            Reason = status.Reason,
            Pid = status.Pid,
            Port = resource.Port,
            Url = resource is Projects.ProjectReplica replica ? replica.Url.ToString().TrimEnd('/') : null,
            Restarts = status.Restarts,
            UptimeSeconds = status.Pid is not null && status.StartedAt is { } started ? Math.Round((DateTimeOffset.UtcNow - started).TotalSeconds, 1) : 0,
            LastExitCode = status.LastExitCode,
        };
    }

    private void PrintReady(TimeSpan startup)
    {
        var gateway = GetResource("gateway");
        Console.WriteLine();
        Console.WriteLine($"Evergreen is running: {_orchestrator.Supervisors.Count} resources healthy after {startup.TotalSeconds:0.0} s.");
        if (gateway?.Url is { } gatewayUrl)
        {
            Console.WriteLine($"  Gateway (clients):        {gatewayUrl}");
        }

        Console.WriteLine($"  Dashboard and control API: {DashboardUrl.ToString().TrimEnd('/')}  (GET /api/resources)");
        if (_otlp is not null)
        {
            Console.WriteLine($"  OTLP receiver:            {_otlp.Url.ToString().TrimEnd('/')}  (traces and logs in the dashboard)");
        }

        Console.WriteLine(_adminTokenFile is null
            ? "  Admin token:              from configuration (Evergreen:AdminToken)"
            : $"  Admin token:              {_adminTokenFile}");
        Console.WriteLine("Press Ctrl+C to stop everything.");
        Console.WriteLine();
    }
}
