namespace Evergreen.ConfigStore.Revisions;

/// <summary>A commit turned into what the database stores for it, computed before the write transaction starts.</summary>
internal sealed record NewRevision
{
    public required string Id { get; init; }

    public string? ParentId { get; init; }

    public required string Author { get; init; }

    public required string AuthorEmail { get; init; }

    public required string Message { get; init; }

    public required DateTimeOffset CommittedAt { get; init; }

    public required string Status { get; init; }

    public required string Checksum { get; init; }

    public required int PluginCount { get; init; }

    public required int ErrorCount { get; init; }

    public required int WarningCount { get; init; }

    public required string DiagnosticsJson { get; init; }

    public required string SnapshotJson { get; init; }

    public required string SnapshotChecksum { get; init; }

    public required IReadOnlyList<RevisionFile> Files { get; init; }
}

/// <summary>One file of a revision with its content hash (lower-case hex SHA-256 of the blob).</summary>
internal sealed record RevisionFile(string Path, string Hash, bool IsSymbolicLink, ReadOnlyMemory<byte> Content);
