namespace Evergreen.AppHost.Hosting;

/// <summary>
/// Where the launcher keeps its state and how it picks ports. Bound from the <c>AppHost</c> configuration section
/// (command line <c>--AppHost:DataFolder=/tmp/x</c>, environment <c>AppHost__DataFolder</c>).
/// </summary>
public sealed record AppHostOptions
{
    /// <summary>The data folder (PostgreSQL cluster, plugin repository, admin token, logs). Default <c>.evergreen/</c> at the repository root.</summary>
    public string? DataFolder { get; init; }

    /// <summary>When true every endpoint gets a free port chosen by the operating system (tests and parallel instances).</summary>
    public bool RandomPorts { get; init; }

    /// <summary>Port of the dashboard and control API. Default 18888.</summary>
    public int DashboardPort { get; init; } = 18888;

    /// <summary>Time a process gets to stop after SIGTERM before it is killed, unless its resource sets its own.</summary>
    public TimeSpan DefaultGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long start-up waits for one resource to become healthy before it is reported as failed.</summary>
    public TimeSpan HealthyTimeout { get; init; } = TimeSpan.FromSeconds(90);
}
