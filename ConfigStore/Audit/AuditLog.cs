using System.Text.Json;
using Evergreen.Contracts.Audit;
using Npgsql;
using NpgsqlTypes;

namespace Evergreen.ConfigStore.Audit;

/// <summary>
/// Reads and purges <c>audit_log</c>. Rows are written by the features themselves, inside the transaction of the change they
/// record (a revision stored, a status changed, a proposal decided), so an entry exists exactly when its change does.
/// A singleton; thread-safe.
/// </summary>
internal sealed class AuditLog(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, occurred_at, type, agent, actor, revision_id, detail::text
            FROM audit_log
            WHERE ($1::timestamptz IS NULL OR occurred_at >= $1)
              AND (cardinality($2::text[]) = 0 OR type = ANY($2))
              AND ($3::text IS NULL OR agent = $3)
            ORDER BY occurred_at DESC, id DESC
            LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Since?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = query.Types.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Agent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = query.Limit });
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            using var detail = JsonDocument.Parse(reader.GetString(6));
            entries.Add(new AuditEntry
            {
                Id = reader.GetInt64(0),
                OccurredAt = reader.GetFieldValue<DateTimeOffset>(1),
                Type = reader.GetString(2),
                Agent = reader.IsDBNull(3) ? null : reader.GetString(3),
                Actor = reader.GetString(4),
                RevisionId = reader.IsDBNull(5) ? null : reader.GetString(5),
                Detail = detail.RootElement.Clone(),
            });
        }

        return entries;
    }

    /// <summary>Deletes the entries that occurred before <paramref name="cutoff"/>; returns how many.</summary>
    public async Task<int> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM audit_log WHERE occurred_at < $1");
        command.Parameters.Add(new NpgsqlParameter { Value = cutoff.ToUniversalTime() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
