using System.Text.Json;
using Evergreen.Contracts.Revisions;
using Npgsql;
using NpgsqlTypes;

namespace Evergreen.ConfigStore.Revisions;

/// <summary>
/// The revisions tables (<c>Data/Migrations/0002_revisions.sql</c>) over plain Npgsql. A singleton; thread-safe (every
/// call opens its own connection from the data source).
/// </summary>
internal sealed class RevisionStore(NpgsqlDataSource dataSource)
{
    private const string SummaryColumns =
        "id, parent_id, author, author_email, message, committed_at, synced_at, status, checksum, plugin_count";

    // The content hashes of the latest revision this instance stored (committed, so present in file_contents).
    private IReadOnlySet<string> _knownContents = new HashSet<string>();

    // Whether the server can compress with lz4; null until the first store asks it.
    private bool? _lz4Supported;

    public async Task<string?> GetLastStoredIdAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM revisions ORDER BY seq DESC LIMIT 1");
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<HashSet<string>> FindStoredAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return stored;
        }

        await using var command = dataSource.CreateCommand("SELECT id FROM revisions WHERE id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stored.Add(reader.GetString(0));
        }

        return stored;
    }

    /// <summary>
    /// Writes the revision, its files, its outbox row and its audit row in one transaction.
    /// Returns false, changing nothing, when the revision is already stored.
    /// </summary>
    public async Task<bool> StoreAsync(NewRevision revision, CancellationToken cancellationToken)
    {
        bool stored;
        try
        {
            stored = await StoreOnceAsync(revision, cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation && Volatile.Read(ref _knownContents).Count > 0)
        {
            // A content this instance believed stored is gone (removed by hand): forget what it knew and look them all up.
            Volatile.Write(ref _knownContents, new HashSet<string>());
            stored = await StoreOnceAsync(revision, cancellationToken);
        }

        if (stored)
        {
            Volatile.Write(ref _knownContents, revision.Files.Select(static f => f.Hash).ToHashSet(StringComparer.Ordinal));
        }

        return stored;
    }

    private async Task<bool> StoreOnceAsync(NewRevision revision, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await UseFastCompressionAsync(connection, transaction, cancellationToken);

        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO revisions (id, parent_id, author, author_email, message, committed_at, status, checksum,
                                   plugin_count, error_count, warning_count, diagnostics, snapshot, snapshot_checksum)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14)
            ON CONFLICT (id) DO NOTHING
            """, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = revision.Id });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)revision.ParentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = revision.Author });
            insert.Parameters.Add(new NpgsqlParameter { Value = revision.AuthorEmail });
            insert.Parameters.Add(new NpgsqlParameter { Value = revision.Message });
            insert.Parameters.Add(new NpgsqlParameter { Value = revision.CommittedAt.ToUniversalTime() });
            insert.Parameters.Add(new NpgsqlParameter { Value = revision.Status });
            insert.Parameters.Add(new NpgsqlParameter { Value = revision.Checksum });
            insert.Parameters.Add(new NpgsqlParameter { Value = revision.PluginCount });
            insert.Parameters.Add(new NpgsqlParameter { Value = revision.ErrorCount });
            insert.Parameters.Add(new NpgsqlParameter { Value = revision.WarningCount });
            insert.Parameters.Add(new NpgsqlParameter { Value = revision.DiagnosticsJson });
            insert.Parameters.Add(new NpgsqlParameter { Value = revision.SnapshotJson });
            insert.Parameters.Add(new NpgsqlParameter { Value = revision.SnapshotChecksum });
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }
        }

        await InsertFilesAsync(connection, transaction, revision, cancellationToken);

        await using (var outbox = new NpgsqlCommand("INSERT INTO revision_outbox (revision_id) VALUES ($1)", connection, transaction))
        {
            outbox.Parameters.Add(new NpgsqlParameter { Value = revision.Id });
            await outbox.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var audit = new NpgsqlCommand(
            "INSERT INTO audit_log (type, actor, revision_id, detail) VALUES ($1, 'configstore', $2, $3::jsonb)", connection, transaction))
        {
            var detail = new
            {
                revision.Status,
                revision.ParentId,
                revision.PluginCount,
                revision.ErrorCount,
                revision.WarningCount,
                Files = revision.Files.Count,
            };
            audit.Parameters.Add(new NpgsqlParameter { Value = revision.Status == RevisionStatus.Valid ? "sync" : "validation-failed" });
            audit.Parameters.Add(new NpgsqlParameter { Value = revision.Id });
            audit.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(detail, RevisionFactory.Json) });
            await audit.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<RevisionSummary>> ListAsync(int limit, long? beforeSeq, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {SummaryColumns} FROM revisions WHERE ($2::bigint IS NULL OR seq < $2) ORDER BY seq DESC LIMIT $1");
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)beforeSeq ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        var summaries = new List<RevisionSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            summaries.Add(ReadSummary(reader));
        }

        return summaries;
    }

    public async Task<long?> GetSequenceAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT seq FROM revisions WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }

    public async Task<RevisionSummary?> GetLatestValidAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {SummaryColumns} FROM revisions WHERE status = 'valid' ORDER BY seq DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSummary(reader) : null;
    }

    public async Task<RevisionDetails?> GetDetailsAsync(string id, CancellationToken cancellationToken)
    {
        RevisionSummary summary;
        string snapshotChecksum, diagnostics;
        await using (var command = dataSource.CreateCommand(
            $"SELECT {SummaryColumns}, snapshot_checksum, diagnostics::text FROM revisions WHERE id = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            summary = ReadSummary(reader);
            snapshotChecksum = reader.GetString(10);
            diagnostics = reader.GetString(11);
        }

        return new RevisionDetails
        {
            Revision = summary,
            SnapshotChecksum = snapshotChecksum,
            Diagnostics = JsonSerializer.Deserialize<List<RevisionDiagnostic>>(diagnostics, RevisionFactory.Json) ?? [],
            Changes = await GetChangesAsync(id, summary.ParentId, cancellationToken),
        };
    }

    public async Task<(string Json, string Checksum)?> GetSnapshotAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT snapshot, snapshot_checksum FROM revisions WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    public async Task<byte[]?> GetFileAsync(string id, string path, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT c.content FROM revision_files f JOIN file_contents c ON c.hash = f.hash WHERE f.revision_id = $1 AND f.path = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = path });
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    private async Task<RevisionChanges> GetChangesAsync(string id, string? parentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT coalesce(c.path, p.path), p.hash IS NULL AS added, c.hash IS NULL AS removed
            FROM (SELECT path, hash FROM revision_files WHERE revision_id = $1) c
            FULL JOIN (SELECT path, hash FROM revision_files WHERE revision_id = $2) p ON p.path = c.path
            WHERE c.hash IS DISTINCT FROM p.hash
            ORDER BY coalesce(c.path, p.path) COLLATE "C"
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)parentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        List<string> added = [], modified = [], removed = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var list = reader.GetBoolean(1) ? added : reader.GetBoolean(2) ? removed : modified;
            list.Add(reader.GetString(0));
        }

        return new RevisionChanges { ParentId = parentId, Added = added, Modified = modified, Removed = removed };
    }

    // A snapshot is a megabyte of JSON for a few hundred plugins: PostgreSQL's default compression (pglz) spends tens of
    // milliseconds on it, lz4 about one, for the same stored text. Servers built without lz4 keep their default.
    private async Task UseFastCompressionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (_lz4Supported is null)
        {
            await using var probe = new NpgsqlCommand(
                "SELECT coalesce(bool_or(v = 'lz4'), false) FROM pg_settings, unnest(enumvals) v WHERE name = 'default_toast_compression'", connection, transaction);
            _lz4Supported = await probe.ExecuteScalarAsync(cancellationToken) is true;
        }

        if (_lz4Supported is true)
        {
            await using var set = new NpgsqlCommand("SET LOCAL default_toast_compression = lz4", connection, transaction);
            await set.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task InsertFilesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, NewRevision revision, CancellationToken cancellationToken)
    {
        // Contents of the previous revision stored here are known to be in file_contents (rows there are never deleted,
        // and revision_files' foreign key would refuse a missing one), so only the others are looked up.
        var known = Volatile.Read(ref _knownContents);
        var distinct = revision.Files.DistinctBy(static f => f.Hash).Where(f => !known.Contains(f.Hash)).ToList();
        if (distinct.Count > 0)
        {
            await InsertContentsAsync(connection, transaction, distinct, cancellationToken);
        }

        await using var files = await connection.BeginBinaryImportAsync(
            "COPY revision_files (revision_id, path, hash, is_symlink) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var file in revision.Files)
        {
            await files.StartRowAsync(cancellationToken);
            await files.WriteAsync(revision.Id, NpgsqlDbType.Text, cancellationToken);
            await files.WriteAsync(file.Path, NpgsqlDbType.Text, cancellationToken);
            await files.WriteAsync(file.Hash, NpgsqlDbType.Text, cancellationToken);
            await files.WriteAsync(file.IsSymbolicLink, NpgsqlDbType.Boolean, cancellationToken);
        }

        await files.CompleteAsync(cancellationToken);
    }

    private static async Task InsertContentsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<RevisionFile> distinct, CancellationToken cancellationToken)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await using (var select = new NpgsqlCommand("SELECT hash FROM file_contents WHERE hash = ANY($1)", connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = distinct.Select(static f => f.Hash).ToArray() });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                existing.Add(reader.GetString(0));
            }
        }

        var missing = distinct.Where(f => !existing.Contains(f.Hash)).ToList();
        if (missing.Count > 0)
        {
            // ON CONFLICT: another replica may store the same content between the select and this insert.
            await using var contents = new NpgsqlCommand(
                "INSERT INTO file_contents (hash, size, content) SELECT * FROM unnest($1::text[], $2::integer[], $3::bytea[]) ON CONFLICT (hash) DO NOTHING",
                connection, transaction);
            contents.Parameters.Add(new NpgsqlParameter { Value = missing.Select(static f => f.Hash).ToArray() });
            contents.Parameters.Add(new NpgsqlParameter { Value = missing.Select(static f => f.Content.Length).ToArray() });
            contents.Parameters.Add(new NpgsqlParameter { Value = missing.Select(static f => f.Content.ToArray()).ToArray() });
            await contents.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static RevisionSummary ReadSummary(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        ParentId = reader.IsDBNull(1) ? null : reader.GetString(1),
        Author = reader.GetString(2),
        AuthorEmail = reader.GetString(3),
        Message = reader.GetString(4),
        CommittedAt = reader.GetFieldValue<DateTimeOffset>(5),
        SyncedAt = reader.GetFieldValue<DateTimeOffset>(6),
        Status = reader.GetString(7),
        Checksum = reader.GetString(8),
        PluginCount = reader.GetInt32(9),
    };
}
