using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Evergreen.AppHost.Hosting;
using Evergreen.AppHost.Hosting.Network;
using Evergreen.AppHost.Hosting.Postgres;
using Evergreen.Testing;
using Npgsql;
using Xunit;

namespace Evergreen.AppHost.Tests.Hosting;

// AppHost runs on Linux only (signals, setpriv).
[SupportedOSPlatform("linux")]
public sealed class PostgresServerTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fixture_FreshCluster_AcceptsQueriesAsTheSuperuser()
    {
        await using var connection = new NpgsqlConnection(postgres.GetConnectionString());
        await connection.OpenAsync(Token).DefaultTimeout();
        await using var command = new NpgsqlCommand("SELECT current_user, current_setting('server_encoding'), current_setting('listen_addresses')", connection);
        await using var reader = await command.ExecuteReaderAsync(Token).DefaultTimeout();
        Assert.True(await reader.ReadAsync(Token));

        Assert.Equal("postgres", reader.GetString(0));
        Assert.Equal("UTF8", reader.GetString(1));
        Assert.Equal("127.0.0.1", reader.GetString(2));
        Assert.True(File.Exists(Path.Combine(postgres.DataDirectory, "PG_VERSION")));
        Assert.True(await postgres.Server.IsHealthyAsync(Token).DefaultTimeout());
    }

    [Fact]
    public async Task CreateDatabaseAsync_FreshDatabase_IsUsableAndDroppedOnDispose()
    {
        var database = await postgres.CreateDatabaseAsync(nameof(PostgresServerTests), Token).DefaultTimeout();
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync(Token).DefaultTimeout();
            await using var command = new NpgsqlCommand("SELECT current_database()", connection);
            Assert.Equal(database.Name, await command.ExecuteScalarAsync(Token).DefaultTimeout());
        }

        await database.DisposeAsync().DefaultTimeout();

        Assert.False(await DatabaseExistsAsync(database.Name));
    }

    [Fact]
    public async Task EnsureDatabaseAsync_CalledConcurrentlyForOneName_CreatesItOnce()
    {
        var name = $"concurrent_{Guid.NewGuid():N}";

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => postgres.Server.EnsureDatabaseAsync(name, Token))).DefaultTimeout();

        Assert.True(await DatabaseExistsAsync(name));
        await postgres.Server.DropDatabaseAsync(name, Token).DefaultTimeout();
        Assert.False(await DatabaseExistsAsync(name));
    }

    [Fact]
    public async Task RestartAsync_CommittedRow_IsStillThereAfterTheRestart()
    {
        // A private server: restarting the shared one would break the other tests using it.
        await using var server = new PostgresServerFixture();
        await server.InitializeAsync();
        await using var database = await server.CreateDatabaseAsync("restart", Token);
        await ExecuteAsync(database.ConnectionString, "CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL); INSERT INTO notes VALUES (1, 'kept');");
        var pidBefore = server.ProcessId;

        await server.RestartAsync(Token);

        Assert.NotNull(server.ProcessId);
        Assert.NotEqual(pidBefore, server.ProcessId);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Token).DefaultTimeout();
        await using var command = new NpgsqlCommand("SELECT body FROM notes WHERE id = 1", connection);
        Assert.Equal("kept", await command.ExecuteScalarAsync(Token).DefaultTimeout());
    }

    [Fact]
    public async Task InitializeAsync_FolderThatIsNotACluster_ThrowsNamingTheFix()
    {
        var folder = Directory.CreateTempSubdirectory("evergreen-pg-corrupt-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not a cluster", Token);
            var server = new PostgresServer(new PostgresServerOptions { DataDirectory = folder, Port = PortAvailability.GetFreePort() });

            var error = await Assert.ThrowsAsync<HostingException>(() => server.InitializeAsync(Token)).DefaultTimeout();

            Assert.Equal(
                $"The PostgreSQL data folder '{folder}' is not a PostgreSQL cluster (PG_VERSION is missing). Move it away or delete it (rm -rf '{folder}') and start again to create a fresh one.",
                error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task InitializeAsync_ClusterOfAnotherMajorVersion_ThrowsNamingBothVersions()
    {
        var folder = Directory.CreateTempSubdirectory("evergreen-pg-old-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "PG_VERSION"), "9.6\n", Token);
            var server = new PostgresServer(new PostgresServerOptions { DataDirectory = folder, Port = PortAvailability.GetFreePort() });

            var error = await Assert.ThrowsAsync<HostingException>(() => server.InitializeAsync(Token)).DefaultTimeout();

            Assert.Contains("holds a PostgreSQL 9.6 cluster", error.Message, StringComparison.Ordinal);
            Assert.Contains("pg_upgrade", error.Message, StringComparison.Ordinal);
            Assert.Contains($"rm -rf '{folder}'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task InitializeAsync_AsRootUnderAFolderOthersCannotEnter_ThrowsNamingThatFolder()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "Only root runs PostgreSQL as another OS user.");
        var closed = Directory.CreateTempSubdirectory("evergreen-pg-closed-").FullName; // 0700
        try
        {
            var server = new PostgresServer(new PostgresServerOptions { DataDirectory = Path.Combine(closed, "data"), Port = PortAvailability.GetFreePort() });

            var error = await Assert.ThrowsAsync<HostingException>(() => server.InitializeAsync(Token)).DefaultTimeout();

            Assert.Contains($"chmod o+x '{closed}'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(closed, recursive: true);
        }
    }

    [Fact]
    public void CreateProcessSpec_BinDirectoryWithoutPostgres_ThrowsNamingTheFolder()
    {
        var server = new PostgresServer(new PostgresServerOptions { DataDirectory = "/tmp/unused", Port = 5433, BinDirectory = "/nonexistent/bin" });

        var error = Assert.Throws<HostingException>(server.CreateProcessSpec);

        Assert.Contains("'/nonexistent/bin' (BinDirectory)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsurePortAvailable_PortTakenByAnotherProgram_ThrowsNamingThePort()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port;
        var server = new PostgresServer(new PostgresServerOptions { DataDirectory = Path.Combine(Path.GetTempPath(), $"evergreen-unused-{Guid.NewGuid():N}"), Port = port });

        var error = Assert.Throws<HostingException>(() => server.EnsurePortAvailable("postgres", "--Ports:postgres=<port>"));

        Assert.Equal($"Port {port} for 'postgres' is already in use by another program. Stop that program or choose another port: --Ports:postgres=<port>.", error.Message);
    }

    [Fact]
    public void EnsurePortAvailable_PortHeldByAServerLeftOnTheSameFolder_NamesThatServer()
    {
        var again = new PostgresServer(new PostgresServerOptions { DataDirectory = postgres.DataDirectory, Port = postgres.Port });

        var error = Assert.Throws<HostingException>(() => again.EnsurePortAvailable("postgres", "--Ports:postgres=<port>"));

        Assert.Contains($"kill -INT {postgres.ProcessId}", error.Message, StringComparison.Ordinal);
    }

    private async Task<bool> DatabaseExistsAsync(string name)
    {
        await using var connection = new NpgsqlConnection(postgres.GetConnectionString());
        await connection.OpenAsync(Token).DefaultTimeout();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return (long)(await command.ExecuteScalarAsync(Token).DefaultTimeout())! == 1;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Token).DefaultTimeout();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Token).DefaultTimeout();
    }
}
