namespace Evergreen.Contracts.Revisions;

/// <summary>The answer of <c>POST /api/sync</c>: what one sync of the tracked branch stored.</summary>
public sealed record SyncResult
{
    /// <summary>Gets the commit the tracked branch pointed at; null when the branch does not exist yet.</summary>
    public string? Head { get; init; }

    /// <summary>Gets the revisions this sync stored, oldest first; empty when nothing was new.</summary>
    public required IReadOnlyList<string> Stored { get; init; }
}
