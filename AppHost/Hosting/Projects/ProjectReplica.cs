using Evergreen.AppHost.Hosting.Processes;
using Evergreen.AppHost.Hosting.Resources;

namespace Evergreen.AppHost.Hosting.Projects;

/// <summary>One process of a <see cref="ProjectResource"/>: <c>dotnet &lt;assembly&gt;</c> on its own loopback port.</summary>
public sealed class ProjectReplica : Resource
{
    private static readonly HttpClient HealthClient = new() { Timeout = TimeSpan.FromSeconds(2) };
    private int _port;
    private TimeSpan _gracePeriod;

    internal ProjectReplica(ProjectResource project, string? replicaName, int index)
        : base(replicaName is null ? project.Name : $"{project.Name}-{replicaName}")
    {
        Project = project;
        ReplicaName = replicaName;
        Index = index;
    }

    /// <inheritdoc />
    public override string Kind => "project";

    /// <summary>The project this replica belongs to.</summary>
    public ProjectResource Project { get; }

    /// <summary>The replica's short name (<c>blue</c>), or null when the project is not replicated.</summary>
    public string? ReplicaName { get; }

    internal int Index { get; }

    /// <inheritdoc />
    public override int? Port => _port;

    /// <summary>The replica's base address; valid after <c>Build()</c>.</summary>
    public Uri Url => new($"http://127.0.0.1:{_port}");

    /// <inheritdoc />
    public override IReadOnlyList<Resource> WaitsFor => Project.WaitsFor;

    /// <inheritdoc />
    public override TimeSpan? GracePeriod
    {
        get => Project.GracePeriod;
        set => Project.GracePeriod = value;
    }

    internal override void Resolve(ResourceResolutionContext context)
    {
        _port = context.AllocatePort(Name, Project.DefaultPort + Index);
        _gracePeriod = GracePeriod ?? context.Options.DefaultGracePeriod;
    }

    // The service finishes in-flight requests within its own grace period, a few seconds shorter than the
    // launcher's, so a restart's SIGKILL only ever hits a process that is stuck, never one that is still draining.
    private string ServiceGracePeriodSeconds =>
        Math.Max(1, (_gracePeriod - TimeSpan.FromSeconds(5)).TotalSeconds).ToString("0", System.Globalization.CultureInfo.InvariantCulture);

    internal override Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Project.Metadata.AssemblyPath))
        {
            throw new HostingException($"'{Name}' cannot start: {Project.Metadata.AssemblyPath} does not exist. Build the solution first: dotnet build Aspire.sln (./eng/run does it).");
        }

        Network.PortAvailability.EnsureFree(_port, Name, $"--Ports:{Name}=<port>");
        return Task.CompletedTask;
    }

    internal override ProcessSpec CreateProcessSpec()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = Url.ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["OTEL_SERVICE_NAME"] = Name,
            ["Evergreen__Replica"] = ReplicaName,
            ["Evergreen__ShutdownGracePeriod"] = ServiceGracePeriodSeconds,
            // Export every second instead of every five, as Aspire does in development, so the dashboard keeps up.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "1000",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "1000",
            // One line per log entry keeps the launcher's name prefix on every line.
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss ",
        };
        foreach (var callback in Project.EnvironmentCallbacks)
        {
            callback(environment);
        }

        return new ProcessSpec
        {
            FileName = DotNetHost.Path,
            Arguments = [Project.Metadata.AssemblyPath],
            WorkingDirectory = Path.GetDirectoryName(Project.Metadata.AssemblyPath),
            Environment = environment,
            StopSignal = System.Runtime.InteropServices.PosixSignal.SIGTERM,
        };
    }

    internal override async Task<HealthProbeResult> ProbeHealthAsync(CancellationToken cancellationToken)
    {
        if (Project.HealthCheckPath is null)
        {
            return HealthProbeResult.Ok;
        }

        try
        {
            using var response = await HealthClient.GetAsync(new Uri(Url, Project.HealthCheckPath), cancellationToken);
            return response.IsSuccessStatusCode
                ? HealthProbeResult.Ok
                : HealthProbeResult.Unhealthy($"{Project.HealthCheckPath} answered {(int)response.StatusCode}: {Truncate(await response.Content.ReadAsStringAsync(cancellationToken))}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthProbeResult.Unhealthy($"{Project.HealthCheckPath} unreachable: {ex.Message}");
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
