using Evergreen.AppHost.Hosting.Postgres;
using Npgsql;

namespace Evergreen.Testing;

/// <summary>
/// A database of its own for one test, made by <see cref="PostgresServerFixture.CreateDatabaseAsync"/>.
/// Disposing drops it (ending its sessions) and clears its connection pool; that is idempotent and never throws
/// when the server is down, since the whole cluster is deleted with the fixture anyway.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private static readonly TimeSpan DropTimeout = TimeSpan.FromSeconds(30);

    private readonly PostgresServer _server;
    private int _disposed;

    internal PostgresDatabase(PostgresServer server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = server.GetConnectionString(name);
    }

    /// <summary>The database name.</summary>
    public string Name { get; }

    /// <summary>An Npgsql connection string for this database.</summary>
    public string ConnectionString { get; }

    /// <summary>Drops the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        using var timeout = new CancellationTokenSource(DropTimeout);
        try
        {
            await _server.DropDatabaseAsync(Name, timeout.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
        {
            // The server is stopped or gone (a fault test): the database goes with the cluster folder.
        }
    }
}
