using Evergreen.AppHost.Hosting.Processes;
using Evergreen.AppHost.Hosting.Resources;

namespace Evergreen.AppHost.Hosting.Postgres;

/// <summary>
/// A private PostgreSQL cluster: created with <c>initdb</c> under <c>&lt;data folder&gt;/postgres</c> on first run,
/// run in the foreground as a supervised child, and given its databases each time it becomes healthy.
/// </summary>
public sealed class PostgresServerResource(string name, int defaultPort) : Resource(name)
{
    private readonly List<PostgresDatabaseResource> _databases = [];
    private PostgresServer? _server;
    private int _port;

    /// <inheritdoc />
    public override string Kind => "postgres";

    /// <inheritdoc />
    public override int? Port => _port;

    /// <summary>The databases created on this server.</summary>
    public IReadOnlyList<PostgresDatabaseResource> Databases => _databases;

    internal PostgresServer Server => _server ?? throw new InvalidOperationException("The server is resolved by Build().");

    internal void AddDatabase(PostgresDatabaseResource database) => _databases.Add(database);

    internal override void Resolve(ResourceResolutionContext context)
    {
        _port = context.AllocatePort(Name, defaultPort);
        _server = new PostgresServer(new PostgresServerOptions
        {
            DataDirectory = Path.Combine(context.DataFolder, "postgres"),
            Port = _port,
        });
    }

    internal override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        Server.EnsurePortAvailable(Name, $"--Ports:{Name}=<port>");
        await Server.InitializeAsync(cancellationToken);
    }

    internal override ProcessSpec CreateProcessSpec() => Server.CreateProcessSpec();

    internal override async Task<HealthProbeResult> ProbeHealthAsync(CancellationToken cancellationToken) =>
        await Server.IsHealthyAsync(cancellationToken) ? HealthProbeResult.Ok : HealthProbeResult.Unhealthy("not accepting connections yet");

    internal override async Task OnHealthyAsync(CancellationToken cancellationToken)
    {
        foreach (var database in _databases)
        {
            await Server.EnsureDatabaseAsync(database.DatabaseName, cancellationToken);
        }
    }
}
