using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Evergreen.ServiceDefaults.Data;

/// <summary>
/// Readiness check <c>postgres</c>: unhealthy while migrating or waiting for PostgreSQL (the description says which),
/// then healthy while <c>SELECT 1</c> answers.
/// </summary>
internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource, DatabaseMigrationState state) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!state.IsCompleted)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, state.Status);
        }

        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("migrated");
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"PostgreSQL unreachable: {ex.Message}");
        }
    }
}
