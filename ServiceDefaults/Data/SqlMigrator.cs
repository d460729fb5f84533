using System.Buffers.Binary;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Evergreen.ServiceDefaults.Data;

/// <summary>
/// Applies numbered SQL files in version order and records them in
/// <c>schema_migrations(version, name, checksum, applied_at)</c>. Safe to run from several replicas at once:
/// every transaction first takes <c>pg_advisory_xact_lock</c> and then re-reads what is applied, so each file is
/// applied exactly once. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// Each file runs in its own transaction together with its <c>schema_migrations</c> row: a failing file leaves
/// no trace and earlier files stay applied. The table belongs to one service, so each service needs its own
/// database (or schema, through the connection string's <c>Search Path</c>).
/// </remarks>
public sealed class SqlMigrator
{
    private const string DefaultLockName = "evergreen:schema_migrations";
    private readonly ILogger _logger;

    /// <summary>Creates a migrator.</summary>
    /// <param name="logger">Receives one line per applied file; null for none.</param>
    public SqlMigrator(ILogger<SqlMigrator>? logger = null)
    {
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>
    /// Applies the pending migrations embedded in <paramref name="assembly"/> (see <see cref="Migration.FromAssembly"/>),
    /// serialized across replicas by an advisory lock derived from the assembly's name.
    /// </summary>
    /// <param name="dataSource">The service's database.</param>
    /// <param name="assembly">The assembly holding <c>Data/Migrations/NNNN_name.sql</c> resources.</param>
    /// <param name="cancellationToken">Stops waiting; the file in progress is rolled back.</param>
    /// <returns>What was applied.</returns>
    /// <exception cref="MigrationException">An applied file was edited, the database has a migration this build lacks, or a file failed.</exception>
    /// <exception cref="NpgsqlException">PostgreSQL could not be reached; nothing of the file in progress remains. Retry later.</exception>
    public Task<MigrationResult> MigrateAsync(NpgsqlDataSource dataSource, Assembly assembly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return MigrateAsync(dataSource, Migration.FromAssembly(assembly), LockKey(assembly.GetName().Name ?? DefaultLockName), cancellationToken);
    }

    /// <summary>
    /// Applies the pending migrations among <paramref name="migrations"/>, serialized across callers by a fixed
    /// advisory lock.
    /// </summary>
    /// <param name="dataSource">The service's database.</param>
    /// <param name="migrations">Every migration of the service, in any order.</param>
    /// <param name="cancellationToken">Stops waiting; the file in progress is rolled back.</param>
    /// <returns>What was applied.</returns>
    /// <exception cref="MigrationException">An applied file was edited, the database has a migration this build lacks, or a file failed.</exception>
    /// <exception cref="NpgsqlException">PostgreSQL could not be reached; nothing of the file in progress remains. Retry later.</exception>
    /// <exception cref="InvalidOperationException">Two migrations share a version.</exception>
    public Task<MigrationResult> MigrateAsync(
        NpgsqlDataSource dataSource, IEnumerable<Migration> migrations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        return MigrateAsync(dataSource, Migration.Order(migrations), LockKey(DefaultLockName), cancellationToken);
    }

    private async Task<MigrationResult> MigrateAsync(
        NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations, long lockKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        IReadOnlyDictionary<int, AppliedMigration> applied;
        await using (var transaction = await BeginLockedAsync(connection, lockKey, cancellationToken))
        {
            await ExecuteAsync(connection, transaction, SchemaMigrationsTable.Create, cancellationToken);
            applied = await ReadVerifiedAsync(connection, transaction, migrations, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var done = new List<Migration>();
        foreach (var migration in migrations.Where(m => !applied.ContainsKey(m.Version)))
        {
            await using var transaction = await BeginLockedAsync(connection, lockKey, cancellationToken);

            // Another replica may have applied it while this one waited for the lock.
            applied = await ReadVerifiedAsync(connection, transaction, migrations, cancellationToken);
            if (applied.ContainsKey(migration.Version))
            {
                await transaction.CommitAsync(cancellationToken);
                continue;
            }

            try
            {
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            }
            catch (PostgresException ex) when (!ex.IsTransient)
            {
                throw new MigrationException(
                    $"Migration {migration.Name} failed and was rolled back ({ex.SqlState}: {ex.MessageText}). "
                    + "Earlier migrations stay applied. Fix the file and start again.",
                    ex);
            }

            await using (var record = new NpgsqlCommand(SchemaMigrationsTable.Insert, connection, transaction))
            {
                record.Parameters.AddWithValue(migration.Version);
                record.Parameters.AddWithValue(migration.Name);
                record.Parameters.AddWithValue(migration.Checksum);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            done.Add(migration);
            Log.MigrationApplied(_logger, migration.Name, connection.Database);
        }

        return new MigrationResult { Applied = done, AlreadyApplied = migrations.Count - done.Count };
    }

    /// <summary>A stable 64-bit key: string.GetHashCode differs between processes.</summary>
    private static long LockKey(string name) =>
        BinaryPrimitives.ReadInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    private static async Task<NpgsqlTransaction> BeginLockedAsync(NpgsqlConnection connection, long lockKey, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction);
            command.Parameters.AddWithValue(lockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        // No command time-out: a migration may rewrite a large table; cancellation still stops it.
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyDictionary<int, AppliedMigration>> ReadVerifiedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, AppliedMigration>();
        await using (var command = new NpgsqlCommand(SchemaMigrationsTable.Select, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new AppliedMigration(reader.GetInt32(0), reader.GetString(1), reader.GetString(2));
                applied.Add(row.Version, row);
            }
        }

        SchemaMigrationsTable.Verify(migrations, applied);
        return applied;
    }
}
