using System.Text.Json;
using Evergreen.Contracts.Audit;
using Evergreen.Contracts.Revisions;
using Npgsql;

namespace Evergreen.ConfigStore.Revisions;

/// <summary>
/// Changes a revision's status (valid ⇄ rolled-back) with its audit row and an outbox row in one transaction.
/// The outbox row republishes the revision with its new status on <c>evergreen.revisions</c>, so a runtime that follows
/// the latest revision leaves a withdrawn one (or returns to a reinstated one) now rather than at its next reconcile.
/// Thread-safe: the revision row is locked for the transaction, so concurrent changes are serialized.
/// </summary>
internal sealed class RevisionStatusChanger(NpgsqlDataSource dataSource)
{
    public async Task<StatusChangeOutcome> ChangeAsync(string id, string status, string? reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        string current;
        int errorCount;
        await using (var select = new NpgsqlCommand("SELECT status, error_count FROM revisions WHERE id = $1 FOR UPDATE", connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = id });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return new StatusChangeOutcome(StatusChangeResult.NotFound, null, 0);
            }

            current = reader.GetString(0);
            errorCount = reader.GetInt32(1);
        }

        if (current == RevisionStatus.Invalid)
        {
            return new StatusChangeOutcome(StatusChangeResult.Invalid, current, errorCount);
        }

        if (current == status)
        {
            return new StatusChangeOutcome(StatusChangeResult.Unchanged, current, errorCount);
        }

        await using (var update = new NpgsqlCommand("UPDATE revisions SET status = $2 WHERE id = $1", connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = id });
            update.Parameters.Add(new NpgsqlParameter { Value = status });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var outbox = new NpgsqlCommand("INSERT INTO revision_outbox (revision_id) VALUES ($1)", connection, transaction))
        {
            outbox.Parameters.Add(new NpgsqlParameter { Value = id });
            await outbox.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var audit = new NpgsqlCommand(
            "INSERT INTO audit_log (type, actor, revision_id, detail) VALUES ($1, 'admin', $2, $3::jsonb)", connection, transaction))
        {
            audit.Parameters.Add(new NpgsqlParameter { Value = AuditEntryTypes.RevisionStatusChanged });
            audit.Parameters.Add(new NpgsqlParameter { Value = id });
            audit.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(new { From = current, To = status, Reason = reason }, RevisionFactory.Json) });
            await audit.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new StatusChangeOutcome(StatusChangeResult.Changed, current, errorCount);
    }
}

internal enum StatusChangeResult
{
    Changed,
    Unchanged,
    NotFound,
    Invalid,
}

/// <param name="Result">What happened.</param>
/// <param name="Previous">The status before the call; null when the revision does not exist.</param>
/// <param name="ErrorCount">The revision's validation errors, to explain why an invalid revision stays so.</param>
internal sealed record StatusChangeOutcome(StatusChangeResult Result, string? Previous, int ErrorCount);
