namespace Evergreen.Contracts.Hosting;

/// <summary>
/// One resource as the launcher's control API reports it (<c>GET /api/resources</c>). The UpgradeOrchestrator's
/// replica controller reads it to learn when a restarted replica is back (a new <see cref="Pid"/>, healthy again).
/// </summary>
public sealed record ResourceStatus
{
    /// <summary>Resource name, e.g. <c>agentruntime-blue</c>.</summary>
    public required string Name { get; init; }

    /// <summary><c>postgres</c>, <c>redis</c>, <c>git</c> or <c>project</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Lifecycle state: <c>waiting</c>, <c>starting</c>, <c>running</c>, <c>restarting</c>, <c>stopping</c>, <c>stopped</c>, <c>failed</c>.</summary>
    public required string State { get; init; }

    /// <summary><c>healthy</c>, <c>unhealthy</c> or <c>unknown</c> (not probed yet or not running).</summary>
    public required string Health { get; init; }

    /// <summary>Why the resource is unhealthy or failed; null when healthy.</summary>
    public string? Reason { get; init; }

    /// <summary>Operating-system process id, null when no process runs.</summary>
    public int? Pid { get; init; }

    /// <summary>The loopback port the resource listens on, if any.</summary>
    public int? Port { get; init; }

    /// <summary>Base URL for HTTP resources, null for others.</summary>
    public string? Url { get; init; }

    /// <summary>How many times the process was started again after a crash or a restart request.</summary>
    public int Restarts { get; init; }

    /// <summary>Seconds since the current process started; 0 when none runs.</summary>
    public double UptimeSeconds { get; init; }

    /// <summary>Exit code of the last process that ended, if one did.</summary>
    public int? LastExitCode { get; init; }
}
