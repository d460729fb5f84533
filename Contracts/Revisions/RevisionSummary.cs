namespace Evergreen.Contracts.Revisions;

/// <summary>One revision in <c>GET /api/revisions</c>: a commit of the tracked branch as ConfigStore stored it.</summary>
public sealed record RevisionSummary
{
    /// <summary>Gets the full git commit id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the first parent's commit id; null for a root commit.</summary>
    public string? ParentId { get; init; }

    /// <summary>Gets the commit author's name.</summary>
    public required string Author { get; init; }

    /// <summary>Gets the commit author's e-mail address.</summary>
    public required string AuthorEmail { get; init; }

    /// <summary>Gets the full commit message.</summary>
    public required string Message { get; init; }

    /// <summary>Gets the commit's committer time.</summary>
    public required DateTimeOffset CommittedAt { get; init; }

    /// <summary>Gets when ConfigStore stored the revision.</summary>
    public required DateTimeOffset SyncedAt { get; init; }

    /// <summary>Gets the status: one of <see cref="RevisionStatus"/>'s values.</summary>
    public required string Status { get; init; }

    /// <summary>Gets the lower-case hex SHA-256 over the sorted file paths and content hashes.</summary>
    public required string Checksum { get; init; }

    /// <summary>Gets how many plugins the revision's catalog holds.</summary>
    public required int PluginCount { get; init; }
}
