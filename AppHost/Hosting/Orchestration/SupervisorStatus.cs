namespace Evergreen.AppHost.Hosting.Orchestration;

/// <summary>An immutable view of one resource's running state; the supervisor swaps it whole on every change.</summary>
internal sealed record SupervisorStatus
{
    public string State { get; init; } = ResourceState.Waiting;

    public string Health { get; init; } = ResourceHealth.Unknown;

    public string? Reason { get; init; }

    public int? Pid { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? HealthySince { get; init; }

    public int Restarts { get; init; }

    public int? LastExitCode { get; init; }

    public bool IsHealthy => Health == ResourceHealth.Healthy;

    public bool IsFailed => State == ResourceState.Failed;
}
