using System.Net;
using Evergreen.ServiceDefaults.Data;
using Evergreen.ServiceDefaults.Tests.TestSupport;
using Evergreen.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Evergreen.ServiceDefaults.Tests.Data;

public sealed class PostgresDatabaseExtensionsTests(PostgresServerFixture postgres)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddPostgresDatabase_Start_MigratesAndReadinessTurnsHealthy()
    {
        await using var database = await postgres.CreateDatabaseAsync(nameof(PostgresDatabaseExtensionsTests), Token);
        await using var server = await StartAsync(database.ConnectionString);

        await server.Services.GetRequiredService<DatabaseMigrationState>().WaitForCompletionAsync(Token).DefaultTimeout();
        using var ready = await server.Client.GetAsync("/health/ready", Token).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var postgresCheck = (await Json.ReadAsync(ready)).GetProperty("checks").GetProperty("postgres");
        Assert.Equal("Healthy", postgresCheck.GetProperty("status").GetString());
        var dataSource = server.Services.GetRequiredService<NpgsqlDataSource>();
        Assert.Equal(2, (await SqlMigratorTests.ReadSchemaMigrationsAsync(dataSource)).Count);
    }

    [Fact]
    public async Task AddPostgresDatabase_PostgresUnreachable_LiveButNotReadyWithWaitingReason()
    {
        await using var server = await StartAsync($"Host=127.0.0.1;Port={Ports.Unused()};Username=nobody;Timeout=2");

        await Eventually.Until(
            () => server.Services.GetRequiredService<DatabaseMigrationState>().Status.StartsWith("waiting for PostgreSQL:", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20),
            "the migrator reports it is waiting",
            Token);
        using var live = await server.Client.GetAsync("/health", Token).DefaultTimeout();
        using var ready = await server.Client.GetAsync("/health/ready", Token).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await Json.ReadAsync(ready);
        Assert.StartsWith("postgres: waiting for PostgreSQL:", body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
    }

    [Fact]
    public async Task AddPostgresDatabase_PostgresStartsLate_MigratesOnceItIsUp()
    {
        await using var privatePostgres = new PostgresServerFixture();
        await privatePostgres.InitializeAsync();
        await using var database = await privatePostgres.CreateDatabaseAsync(nameof(PostgresDatabaseExtensionsTests), Token);
        await privatePostgres.StopAsync(Token);
        await using var server = await StartAsync(database.ConnectionString);
        var state = server.Services.GetRequiredService<DatabaseMigrationState>();
        await Eventually.Until(
            () => state.Status.StartsWith("waiting for PostgreSQL:", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20),
            "the migrator reports it is waiting",
            Token);

        await privatePostgres.StartAsync(Token);

        await state.WaitForCompletionAsync(Token).DefaultTimeout();
        await Eventually.Until(
            async () => (await server.Client.GetAsync("/health/ready", Token)).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20),
            "readiness is 200 once migrated",
            Token);
    }

    [Fact]
    public async Task AddPostgresDatabase_AppliedMigrationEdited_StopsApplicationWithExitCode1()
    {
        await using var database = await postgres.CreateDatabaseAsync(nameof(PostgresDatabaseExtensionsTests), Token);
        await using (var dataSource = NpgsqlDataSource.Create(database.ConnectionString))
        {
            // The database says 0001 was applied with other content than the file embedded now.
            var original = new Migration(1, "0001_create_widgets.sql", "CREATE TABLE widgets (id integer PRIMARY KEY);");
            await new SqlMigrator().MigrateAsync(dataSource, [original], Token).DefaultTimeout();
        }

        try
        {
            await using var server = await StartAsync(database.ConnectionString);
            var lifetime = server.Services.GetRequiredService<IHostApplicationLifetime>();
            var state = server.Services.GetRequiredService<DatabaseMigrationState>();

            await Eventually.Until(() => lifetime.ApplicationStopping.IsCancellationRequested, TimeSpan.FromSeconds(20), "the app stops itself", Token);

            Assert.Equal(1, Environment.ExitCode);
            Assert.StartsWith("migration refused: Migration 0001_create_widgets.sql was changed after it was applied", state.Status, StringComparison.Ordinal);
            await Assert.ThrowsAsync<MigrationException>(() => state.WaitForCompletionAsync(Token)).DefaultTimeout();
        }
        finally
        {
            Environment.ExitCode = 0;
        }
    }

    [Fact]
    public async Task AddPostgresDatabase_NoConnectionString_FailsNamingTheVariable()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(connectionString: null));

        Assert.Contains("ConnectionStrings__postgres", error.Message, StringComparison.Ordinal);
    }

    private static Task<TestApp> StartAsync(string? connectionString) => TestApp.StartAsync(
        settings: new Dictionary<string, string?> { ["ConnectionStrings:postgres"] = connectionString },
        configure: b => b.AddPostgresDatabase(typeof(PostgresDatabaseExtensionsTests).Assembly));
}
