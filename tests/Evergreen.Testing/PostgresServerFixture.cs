using System.Globalization;
using System.Text;
using Evergreen.AppHost.Hosting.Network;
using Evergreen.AppHost.Hosting.Postgres;
using Npgsql;
using Xunit;

namespace Evergreen.Testing;

/// <summary>
/// A real PostgreSQL server for tests: a fresh cluster in a temporary folder, on a free port, run as a child process.
/// Meant to be shared: <c>[assembly: AssemblyFixture(typeof(PostgresServerFixture))]</c> (one server per test
/// assembly) or <c>IClassFixture&lt;PostgresServerFixture&gt;</c>; each test takes its own database from
/// <see cref="CreateDatabaseAsync"/>.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="StopAsync"/>, <see cref="StartAsync"/> and <see cref="RestartAsync"/> affect every test that
/// shares the instance: a fault test that restarts PostgreSQL should own a private one
/// (<c>await using var postgres = new PostgresServerFixture(); await postgres.InitializeAsync();</c>).
/// Disposing stops the server (SIGINT, 10 s grace, then SIGKILL) and deletes the folder.
/// </remarks>
public sealed class PostgresServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private string? _root;
    private PostgresServer? _server;
    private ServerProcessHost? _host;

    /// <summary>The server; valid after <see cref="InitializeAsync"/>.</summary>
    public PostgresServer Server => _server ?? throw new InvalidOperationException($"Call {nameof(InitializeAsync)} first.");

    /// <summary>The port the server listens on (on 127.0.0.1); it stays the same across restarts.</summary>
    public int Port => Server.Options.Port;

    /// <summary>The cluster folder; it stays the same across restarts.</summary>
    public string DataDirectory => Server.DataDirectory;

    /// <summary>The last lines PostgreSQL wrote, for diagnosing a failing test.</summary>
    public IReadOnlyList<string> RecentOutput => _host?.RecentOutput ?? [];

    /// <summary>The pid of the running server, or null while it is stopped.</summary>
    public int? ProcessId => _host?.ProcessId;

    /// <summary>A connection string for <paramref name="database"/> (the <c>postgres</c> database by default).</summary>
    public string GetConnectionString(string database = "postgres") => Server.GetConnectionString(database);

    /// <summary>Creates the cluster (initdb), starts the server and waits until it accepts connections (bounded: 60 s each).</summary>
    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        try
        {
            // When tests run as root, PostgreSQL runs as 'postgres' and must be able to pass through this folder.
            _root = TemporaryDirectory.Create("evergreen-pg-", passableByOtherUsers: true);
            _server = new PostgresServer(new PostgresServerOptions
            {
                DataDirectory = Path.Combine(_root, "data"),
                Port = PortAvailability.GetFreePort(),
            });
            await _server.InitializeAsync(cancellationToken).DefaultTimeout(StartTimeout);
            _host = new ServerProcessHost("PostgreSQL", _server.CreateProcessSpec, _server.WaitUntilReadyAsync, StopGrace);
            await _host.StartAsync(StartTimeout, cancellationToken);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates a database with a unique name (<c>&lt;prefix&gt;_&lt;guid&gt;</c>); disposing it drops it.</summary>
    /// <param name="prefix">A readable start for the name, e.g. the test class; letters, digits and underscores are kept.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    public async Task<PostgresDatabase> CreateDatabaseAsync(string? prefix = null, CancellationToken cancellationToken = default)
    {
        var name = UniqueDatabaseName(prefix);
        await Server.EnsureDatabaseAsync(name, cancellationToken).DefaultTimeout();
        return new PostgresDatabase(Server, name);
    }

    /// <summary>Stops the server (SIGINT, a fast shutdown). True when it stopped within the 10 s grace period.</summary>
    public async Task<bool> StopAsync(CancellationToken cancellationToken = default)
    {
        var graceful = await Host.StopAsync(cancellationToken).DefaultTimeout(StartTimeout);
        // Pooled connections to the stopped server are dead; drop them so the next open makes a new one.
        NpgsqlConnection.ClearAllPools();
        return graceful;
    }

    /// <summary>Starts the server again on the same folder and port and waits until it accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await Host.StartAsync(StartTimeout, cancellationToken).DefaultTimeout(StartTimeout + StopGrace);
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Stops and starts the server; data survives, connections do not.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await StartAsync(cancellationToken);
    }

    /// <summary>Stops the server and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync().DefaultTimeout(StartTimeout);
        }

        NpgsqlConnection.ClearAllPools();
        if (_root is not null)
        {
            TemporaryDirectory.DeleteQuietly(_root);
        }
    }

    private ServerProcessHost Host => _host ?? throw new InvalidOperationException($"Call {nameof(InitializeAsync)} first.");

    private static string UniqueDatabaseName(string? prefix)
    {
        var readable = new StringBuilder();
        foreach (var c in (prefix ?? "test").ToLowerInvariant())
        {
            if (readable.Length == 30)
            {
                break;
            }

            readable.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(readable.Length == 0 ? "test" : readable)}_{Guid.NewGuid():N}");
    }
}
