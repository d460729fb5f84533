namespace Evergreen.AppHost.Hosting.Resources;

/// <summary>
/// One named thing the launcher starts and watches: a server process, a service replica or a git repository.
/// Resources are described while the model is built and are immutable in spirit after <c>Build()</c>;
/// their running state lives in the orchestrator, not here.
/// </summary>
public abstract class Resource(string name)
{
    private readonly List<Resource> _waitFor = [];

    /// <summary>Unique name, as shown in logs and the control API.</summary>
    public string Name { get; } = name;

    /// <summary>A short word for the dashboard: <c>postgres</c>, <c>redis</c>, <c>git</c>, <c>project</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Resources that must be healthy before this one starts.</summary>
    public virtual IReadOnlyList<Resource> WaitsFor => _waitFor;

    /// <summary>Time this resource gets between SIGTERM and SIGKILL; null uses <see cref="AppHostOptions.DefaultGracePeriod"/>.</summary>
    public virtual TimeSpan? GracePeriod { get; set; }

    internal void AddWaitFor(Resource dependency)
    {
        if (!_waitFor.Contains(dependency))
        {
            _waitFor.Add(dependency);
        }
    }

    /// <summary>Resolves ports, folders and other values that depend on configuration. Called once by <c>Build()</c>.</summary>
    internal virtual void Resolve(ResourceResolutionContext context)
    {
    }

    /// <summary>One-time work before the first start (create a cluster, seed a repository, check a port). Throws <see cref="HostingException"/> with the cause and the fix.</summary>
    internal virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The process to run, or null for a resource that is not a process.</summary>
    internal abstract Processes.ProcessSpec? CreateProcessSpec();

    /// <summary>Checks health once; a short description explains an unhealthy answer.</summary>
    internal abstract Task<HealthProbeResult> ProbeHealthAsync(CancellationToken cancellationToken);

    /// <summary>Work to do each time the resource first becomes healthy after a start (create databases).</summary>
    internal virtual Task OnHealthyAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The port this resource listens on, if any.</summary>
    public virtual int? Port => null;

    /// <summary>What actually runs for this resource: itself, its replicas, or nothing for a child such as a database.</summary>
    internal virtual IEnumerable<Resource> Runnables => [this];

    /// <summary>What a <c>WaitFor</c> on this resource waits for: by default what runs for it.</summary>
    internal virtual IEnumerable<Resource> WaitTargets => Runnables;
}

/// <summary>The answer of one health probe.</summary>
/// <param name="Healthy">True when the resource serves.</param>
/// <param name="Description">Why it is not healthy; null when healthy.</param>
public sealed record HealthProbeResult(bool Healthy, string? Description)
{
    /// <summary>A healthy answer.</summary>
    public static HealthProbeResult Ok { get; } = new(true, null);

    /// <summary>An unhealthy answer with its reason.</summary>
    public static HealthProbeResult Unhealthy(string description) => new(false, description);
}
