namespace Evergreen.AppHost.Hosting.Orchestration;

/// <summary>Lifecycle states of a supervised resource, as the control API spells them.</summary>
internal static class ResourceState
{
    public const string Waiting = "waiting";
    public const string Starting = "starting";
    public const string Running = "running";
    public const string Restarting = "restarting";
    public const string Stopping = "stopping";
    public const string Stopped = "stopped";
    public const string Failed = "failed";
}

/// <summary>Health as the control API spells it.</summary>
internal static class ResourceHealth
{
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";
    public const string Unknown = "unknown";
}
