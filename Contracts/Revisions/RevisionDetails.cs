namespace Evergreen.Contracts.Revisions;

/// <summary>One revision in <c>GET /api/revisions/{id}</c>: its summary, its diagnostics and its change against its parent.</summary>
public sealed record RevisionDetails
{
    /// <summary>Gets what <c>GET /api/revisions</c> shows for the revision.</summary>
    public required RevisionSummary Revision { get; init; }

    /// <summary>Gets the checksum of the snapshot JSON, which is also its ETag.</summary>
    public required string SnapshotChecksum { get; init; }

    /// <summary>Gets the warnings and errors, in the order the loader reported them.</summary>
    public required IReadOnlyList<RevisionDiagnostic> Diagnostics { get; init; }

    /// <summary>Gets the files added, modified and removed against the parent revision.</summary>
    public required RevisionChanges Changes { get; init; }
}
