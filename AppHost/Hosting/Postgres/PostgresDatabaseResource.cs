using Evergreen.AppHost.Hosting.Resources;

namespace Evergreen.AppHost.Hosting.Postgres;

/// <summary>A database on a <see cref="PostgresServerResource"/>; created when the server becomes healthy. Waiting for it waits for the server.</summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource server)
    : Resource(name), IResourceWithConnectionString
{
    /// <inheritdoc />
    public override string Kind => "database";

    /// <summary>The database's name on the server.</summary>
    public string DatabaseName { get; } = databaseName;

    /// <summary>The server that holds it.</summary>
    public PostgresServerResource Server { get; } = server;

    /// <inheritdoc />
    public string ConnectionName => Name;

    /// <inheritdoc />
    public string GetConnectionString() => Server.Server.GetConnectionString(DatabaseName);

    internal override IEnumerable<Resource> Runnables => [];

    internal override IEnumerable<Resource> WaitTargets => [Server];

    internal override Processes.ProcessSpec? CreateProcessSpec() => null;

    internal override Task<HealthProbeResult> ProbeHealthAsync(CancellationToken cancellationToken) => Server.ProbeHealthAsync(cancellationToken);
}
