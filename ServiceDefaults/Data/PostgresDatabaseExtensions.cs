using System.Data.Common;
using System.Reflection;
using Evergreen.ServiceDefaults.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

/// <summary>PostgreSQL for a service: data source, start-up migrations and readiness.</summary>
public static class PostgresDatabaseExtensions
{
    /// <summary>The connection string name: configuration key <c>ConnectionStrings:postgres</c>.</summary>
    public const string ConnectionStringName = "postgres";

    /// <summary>
    /// Registers a singleton <see cref="NpgsqlDataSource"/> (also as <see cref="DbDataSource"/>) for
    /// <c>ConnectionStrings:postgres</c>, a hosted service that applies the SQL migrations embedded in
    /// <paramref name="migrationsAssembly"/> (<c>Data/Migrations/NNNN_name.sql</c>, see <see cref="SqlMigrator"/>),
    /// <see cref="DatabaseMigrationState"/>, and the readiness check <c>postgres</c>.
    /// </summary>
    /// <remarks>
    /// Migrations run in the background: readiness reports "migrating" or "waiting for PostgreSQL: &lt;error&gt;"
    /// until they are done, and connection failures are retried with back-off. An edited applied file, a database
    /// that holds a migration this build lacks, or a failing file logs a critical message and stops the application
    /// with exit code 1. The container owns and disposes the data source. A missing connection string fails the
    /// first resolution of the data source (normally at start-up) with a message naming the variable to set.
    /// </remarks>
    /// <typeparam name="TBuilder">The host builder type.</typeparam>
    /// <param name="builder">The application's builder.</param>
    /// <param name="migrationsAssembly">The service's assembly, usually <c>typeof(Program).Assembly</c>.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static TBuilder AddPostgresDatabase<TBuilder>(this TBuilder builder, Assembly migrationsAssembly)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(migrationsAssembly);

        // Npgsql logs every command at Information, readiness probes included; keep that out of the default output.
        // Inserted first, so a configured "Logging:LogLevel:Npgsql.Command" (a later rule) still wins.
        builder.Services.Configure<LoggerFilterOptions>(options =>
            options.Rules.Insert(0, new LoggerFilterRule(providerName: null, "Npgsql.Command", LogLevel.Warning, filter: null)));

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => CreateDataSource(sp));
        services.AddSingleton<DbDataSource>(sp => sp.GetRequiredService<NpgsqlDataSource>());
        services.AddSingleton(new DatabaseMigrationState());
        services.AddSingleton(sp => new SqlMigrator(sp.GetRequiredService<ILogger<SqlMigrator>>()));
        services.AddHostedService(sp => new MigrationHostedService(
            sp.GetRequiredService<NpgsqlDataSource>(),
            migrationsAssembly,
            sp.GetRequiredService<SqlMigrator>(),
            sp.GetRequiredService<DatabaseMigrationState>(),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MigrationHostedService>>()));
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            ConnectionStringName,
            sp => new PostgresHealthCheck(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<DatabaseMigrationState>()),
            HealthStatus.Unhealthy,
            ["ready"],
            TimeSpan.FromSeconds(5)));
        return builder;
    }

    private static NpgsqlDataSource CreateDataSource(IServiceProvider services)
    {
        var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "ConnectionStrings:postgres is not set: set ConnectionStrings__postgres, for example "
                + "\"Host=127.0.0.1;Port=5433;Database=configstore;Username=evergreen\".");
        }

        var dataSource = new NpgsqlDataSourceBuilder(connectionString);
        if (string.IsNullOrEmpty(dataSource.ConnectionStringBuilder.ApplicationName))
        {
            dataSource.ConnectionStringBuilder.ApplicationName = services.GetRequiredService<IHostEnvironment>().ApplicationName;
        }

        dataSource.UseLoggerFactory(services.GetRequiredService<ILoggerFactory>());
        return dataSource.Build();
    }
}
