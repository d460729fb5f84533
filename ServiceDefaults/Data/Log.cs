using Microsoft.Extensions.Logging;

namespace Evergreen.ServiceDefaults.Data;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Applied migration {Migration} to database {Database}.")]
    public static partial void MigrationApplied(ILogger logger, string migration, string database);

    [LoggerMessage(2, LogLevel.Information, "Database schema is up to date: {Applied} migration(s) applied now, {AlreadyApplied} already applied.")]
    public static partial void MigrationsCompleted(ILogger logger, int applied, int alreadyApplied);

    [LoggerMessage(3, LogLevel.Warning, "Waiting for PostgreSQL (attempt {Attempt}, next in {Delay}): {Error}")]
    public static partial void WaitingForPostgres(ILogger logger, int attempt, TimeSpan delay, string error);

    [LoggerMessage(4, LogLevel.Critical, "Refusing to start: {Reason}")]
    public static partial void RefusingToStart(ILogger logger, string reason, Exception? exception);
}
