using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Evergreen.AppHost.Hosting.Postgres;

/// <summary>Health probes and database management over unpooled connections to the <c>postgres</c> database.</summary>
/// <remarks>Unpooled, so nothing idle survives a server restart or keeps a database from being dropped.</remarks>
internal sealed class PostgresAdmin(string adminConnectionString)
{
    private const int MaxIdentifierBytes = 63;

    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(adminConnectionString)
    {
        Pooling = false,
        Timeout = 5,
        CommandTimeout = 60,
    }.ConnectionString;

    /// <summary>Null when the server answers <c>SELECT 1</c>; otherwise why not.</summary>
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return null;
        }
        catch (Exception ex) when ((ex is NpgsqlException or SocketException or IOException or TimeoutException) && !cancellationToken.IsCancellationRequested)
        {
            return ex.Message;
        }
    }

    public async Task EnsureDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        var quoted = QuoteIdentifier(name);
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = name });
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return;
            }
        }

        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Someone else created it between our check and our CREATE: that is what we wanted.
        }
    }

    public async Task DropDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        var quoted = QuoteIdentifier(name);
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string QuoteIdentifier(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('\0', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(name) > MaxIdentifierBytes)
        {
            // PostgreSQL silently truncates longer names, which would make two names one database.
            throw new ArgumentException($"'{name}' is not a usable database name: at most {MaxIdentifierBytes} bytes, no NUL characters.", nameof(name));
        }

        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
