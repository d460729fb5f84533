using Evergreen.AppHost.Hosting.Resources;

namespace Evergreen.AppHost.Hosting.Projects;

/// <summary>
/// A service project, run as one process per replica. Without <c>WithReplicas</c> it has one replica named like the
/// project; with it, replicas are named <c>&lt;project&gt;-&lt;replica&gt;</c> and listen on consecutive ports.
/// Environment, references and waits set on the project apply to every replica.
/// </summary>
public sealed class ProjectResource : Resource, IResourceWithEnvironment, IResourceWithServiceEndpoints
{
    private readonly List<Action<IDictionary<string, string?>>> _environment = [];
    private List<ProjectReplica> _replicas;

    internal ProjectResource(string name, IProjectMetadata metadata, int defaultPort) : base(name)
    {
        Metadata = metadata;
        DefaultPort = defaultPort;
        _replicas = [new ProjectReplica(this, replicaName: null, index: 0)];
    }

    /// <inheritdoc />
    public override string Kind => "project";

    /// <summary>Which project this runs.</summary>
    public IProjectMetadata Metadata { get; }

    /// <summary>The first replica's port; replica <c>i</c> uses <c>DefaultPort + i</c> unless configured.</summary>
    public int DefaultPort { get; }

    /// <summary>The path probed for health, e.g. <c>/health/ready</c>; null means "the process is running".</summary>
    public string? HealthCheckPath { get; internal set; }

    /// <summary>The replicas, each a supervised process.</summary>
    public IReadOnlyList<ProjectReplica> Replicas => _replicas;

    internal IReadOnlyList<Action<IDictionary<string, string?>>> EnvironmentCallbacks => _environment;

    /// <inheritdoc />
    public void AddEnvironmentCallback(Action<IDictionary<string, string?>> callback) => _environment.Add(callback);

    /// <inheritdoc />
    public IEnumerable<(string ServiceName, Uri Url)> GetServiceEndpoints() =>
        _replicas.Select(replica => (replica.Name, replica.Url));

    internal void SetReplicas(IReadOnlyList<string> replicaNames)
    {
        if (replicaNames.Count == 0 || replicaNames.Distinct(StringComparer.Ordinal).Count() != replicaNames.Count)
        {
            throw new ArgumentException("Replica names must be given, each once.", nameof(replicaNames));
        }

        _replicas = [.. replicaNames.Select((replica, index) => new ProjectReplica(this, replica, index))];
    }

    // The project itself is a group; its replicas are what runs.
    internal override IEnumerable<Resource> Runnables => _replicas;

    internal override Processes.ProcessSpec? CreateProcessSpec() => null;

    internal override Task<HealthProbeResult> ProbeHealthAsync(CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"Project '{Name}' is probed through its replicas.");
}
