using System.Text.Json;
using Evergreen.ConfigStore.Revisions;
using Evergreen.Contracts.Proposals;
using Npgsql;
using NpgsqlTypes;

namespace Evergreen.ConfigStore.Proposals;

/// <summary>
/// The <c>proposals</c> table (<c>Data/Migrations/0003_proposals.sql</c>) over plain Npgsql. Every change of a proposal
/// writes its <c>audit_log</c> row in the same transaction. A singleton; thread-safe.
/// </summary>
internal sealed class ProposalStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, agent, branch, status, commit_id, base_revision_id, paths, rationale, run_id, created_at, decided_at, " +
        "rejection_reason, merged_revision_id, submitted_by, decided_by";

    /// <summary>How many proposals <paramref name="agent"/> made since <paramref name="since"/>, and when the oldest of them was made.</summary>
    public async Task<(int Count, DateTimeOffset? Oldest)> CountSinceAsync(string agent, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*)::int, min(created_at) FROM proposals WHERE agent = $1 AND created_at > $2");
        command.Parameters.Add(new NpgsqlParameter { Value = agent });
        command.Parameters.Add(new NpgsqlParameter { Value = since.ToUniversalTime() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    public async Task<bool> BranchExistsAsync(string branch, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT 1 FROM proposals WHERE branch = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = branch });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>Records a pending proposal and its <c>proposal-created</c> audit row.</summary>
    public async Task InsertAsync(ProposalSummary proposal, string plugin, string diff, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO proposals (id, agent, plugin, branch, status, commit_id, base_revision_id, paths, rationale, run_id,
                                   submitted_by, diff, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            """, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = proposal.Id });
            insert.Parameters.Add(new NpgsqlParameter { Value = proposal.Agent });
            insert.Parameters.Add(new NpgsqlParameter { Value = plugin });
            insert.Parameters.Add(new NpgsqlParameter { Value = proposal.Branch });
            insert.Parameters.Add(new NpgsqlParameter { Value = proposal.Status });
            insert.Parameters.Add(new NpgsqlParameter { Value = proposal.CommitId });
            insert.Parameters.Add(new NpgsqlParameter { Value = proposal.BaseRevisionId });
            insert.Parameters.Add(new NpgsqlParameter { Value = proposal.Paths.ToArray() });
            insert.Parameters.Add(Text(proposal.Rationale));
            insert.Parameters.Add(Text(proposal.RunId));
            insert.Parameters.Add(new NpgsqlParameter { Value = proposal.SubmittedBy ?? "unknown" });
            insert.Parameters.Add(new NpgsqlParameter { Value = diff });
            insert.Parameters.Add(new NpgsqlParameter { Value = proposal.CreatedAt.ToUniversalTime() });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await AuditAsync(connection, transaction, "proposal-created", proposal.Agent, proposal.SubmittedBy ?? "unknown", proposal.BaseRevisionId, new
        {
            ProposalId = proposal.Id,
            proposal.Branch,
            proposal.CommitId,
            proposal.Paths,
            proposal.RunId,
            proposal.Rationale,
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ProposalSummary>> ListAsync(string? status, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM proposals WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at DESC, id DESC");
        command.Parameters.Add(Text(status));
        var proposals = new List<ProposalSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            proposals.Add(Read(reader));
        }

        return proposals;
    }

    public async Task<(ProposalSummary Proposal, string Diff)?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns}, diff FROM proposals WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (Read(reader), reader.GetString(15)) : null;
    }

    /// <summary>
    /// Marks a pending proposal merged into <paramref name="revisionId"/> with an audit row of <paramref name="auditType"/>.
    /// Returns false, changing nothing, when it is no longer pending.
    /// </summary>
    public Task<bool> MarkMergedAsync(string id, string revisionId, string actor, string auditType, object detail, CancellationToken cancellationToken) =>
        DecideAsync(id, ProposalStatus.Merged, actor, reason: null, revisionId, auditType, detail, cancellationToken);

    /// <summary>Marks a pending proposal rejected with its <c>proposal-rejected</c> audit row; false when it is no longer pending.</summary>
    public Task<bool> RejectAsync(string id, string reason, string actor, CancellationToken cancellationToken) =>
        DecideAsync(id, ProposalStatus.Rejected, actor, reason, revisionId: null, "proposal-rejected", new { ProposalId = id, Reason = reason }, cancellationToken);

    private async Task<bool> DecideAsync(
        string id, string status, string actor, string? reason, string? revisionId, string auditType, object detail, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        string agent;
        await using (var update = new NpgsqlCommand(
            """
            UPDATE proposals SET status = $2, decided_at = now(), decided_by = $3, rejection_reason = $4, merged_revision_id = $5
            WHERE id = $1 AND status = 'pending'
            RETURNING agent
            """, connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = id });
            update.Parameters.Add(new NpgsqlParameter { Value = status });
            update.Parameters.Add(new NpgsqlParameter { Value = actor });
            update.Parameters.Add(Text(reason));
            update.Parameters.Add(Text(revisionId));
            if (await update.ExecuteScalarAsync(cancellationToken) is not string updated)
            {
                return false;
            }

            agent = updated;
        }

        await AuditAsync(connection, transaction, auditType, agent, actor, revisionId, detail, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task AuditAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string type, string agent, string actor, string? revisionId, object detail,
        CancellationToken cancellationToken)
    {
        await using var audit = new NpgsqlCommand(
            "INSERT INTO audit_log (type, agent, actor, revision_id, detail) VALUES ($1, $2, $3, $4, $5::jsonb)", connection, transaction);
        audit.Parameters.Add(new NpgsqlParameter { Value = type });
        audit.Parameters.Add(new NpgsqlParameter { Value = agent });
        audit.Parameters.Add(new NpgsqlParameter { Value = actor });
        audit.Parameters.Add(Text(revisionId));
        audit.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(detail, RevisionFactory.Json) });
        await audit.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static ProposalSummary Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Agent = reader.GetString(1),
        Branch = reader.GetString(2),
        Status = reader.GetString(3),
        CommitId = reader.GetString(4),
        BaseRevisionId = reader.GetString(5),
        Paths = reader.GetFieldValue<string[]>(6),
        Rationale = reader.IsDBNull(7) ? null : reader.GetString(7),
        RunId = reader.IsDBNull(8) ? null : reader.GetString(8),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(9),
        DecidedAt = reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
        RejectionReason = reader.IsDBNull(11) ? null : reader.GetString(11),
        MergedRevisionId = reader.IsDBNull(12) ? null : reader.GetString(12),
        SubmittedBy = reader.GetString(13),
        DecidedBy = reader.IsDBNull(14) ? null : reader.GetString(14),
    };
}
