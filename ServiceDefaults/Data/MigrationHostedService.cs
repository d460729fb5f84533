using System.Net.Sockets;
using System.Reflection;
using Evergreen.ServiceDefaults.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Evergreen.ServiceDefaults.Data;

/// <summary>
/// Runs the migrations in the background so the process answers <c>/health</c> while PostgreSQL is still starting:
/// connection failures are retried with back-off (readiness shows why), while a <see cref="MigrationException"/>
/// stops the application with exit code 1.
/// </summary>
internal sealed class MigrationHostedService(
    NpgsqlDataSource dataSource,
    Assembly migrationsAssembly,
    SqlMigrator migrator,
    DatabaseMigrationState state,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<MigrationHostedService> logger)
    : BackgroundService
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = FirstDelay;
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                state.SetStatus("migrating");
                var result = await migrator.MigrateAsync(dataSource, migrationsAssembly, stoppingToken);
                Log.MigrationsCompleted(logger, result.Applied.Count, result.AlreadyApplied);
                state.Complete();
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (IsWorthRetrying(ex))
            {
                state.SetStatus($"waiting for PostgreSQL: {ex.Message}");
                Log.WaitingForPostgres(logger, attempt, delay, ex.Message);
            }
            catch (Exception ex)
            {
                var refusal = ex as MigrationException ?? new MigrationException(ex.Message, ex);
                Log.RefusingToStart(logger, refusal.Message, ex is MigrationException ? ex.InnerException : ex);
                state.Fail(refusal);
                Environment.ExitCode = 1;
                await StopApplicationAsync(stoppingToken);
                return;
            }

            try
            {
                await Task.Delay(delay, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = RetryDelay.Doubled(delay, MaxDelay);
        }
    }

    /// <summary>
    /// Stops once the host has started: stopping while it still starts cancels the web server's start, and the host
    /// then throws out of <c>Run</c> instead of exiting with the exit code set above.
    /// </summary>
    private async Task StopApplicationAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), started))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        lifetime.StopApplication();
    }

    /// <summary>
    /// Everything PostgreSQL or the network says before a migration file runs may pass (server starting, database
    /// or role not created yet); a failing file, an edited file and a misconfiguration will not.
    /// </summary>
    private static bool IsWorthRetrying(Exception exception) =>
        exception is NpgsqlException or SocketException or TimeoutException;
}
