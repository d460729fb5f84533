namespace Evergreen.Contracts.Revisions;

/// <summary>
/// Published on the Redis channel <see cref="Channel"/> after a revision was committed to ConfigStore's database, and again
/// after an administrator changed its status (<see cref="RevisionStatus.RolledBack"/>, or back to <see cref="RevisionStatus.Valid"/>):
/// a runtime that follows the latest revision re-reads <c>GET /api/revisions/latest</c> on such an event.
/// Delivered at least once: an event published while Redis was down is sent when it is back, and a subscriber may see
/// the same <see cref="RevisionId"/> twice (for example after a ConfigStore restart mid-publish), so handlers are idempotent.
/// </summary>
public sealed record RevisionPublished
{
    /// <summary>The Redis channel the event is published on.</summary>
    public const string Channel = "evergreen.revisions";

    /// <summary>Gets the revision's id: the full git commit id.</summary>
    public required string RevisionId { get; init; }

    /// <summary>Gets the first parent's commit id; null for a root commit.</summary>
    public string? ParentId { get; init; }

    /// <summary>Gets the lower-case hex SHA-256 over the revision's sorted file paths and content hashes.</summary>
    public required string Checksum { get; init; }

    /// <summary>Gets the revision status: one of <see cref="RevisionStatus"/>'s values.</summary>
    public required string Status { get; init; }

    /// <summary>Gets how many plugins the revision's catalog holds.</summary>
    public required int PluginCount { get; init; }

    /// <summary>Gets when ConfigStore handed the event to Redis.</summary>
    public required DateTimeOffset PublishedAt { get; init; }
}
