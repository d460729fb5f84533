namespace Evergreen.Contracts.Revisions;

/// <summary>The files a revision changed against its parent revision. Paths are sorted ordinally.</summary>
public sealed record RevisionChanges
{
    /// <summary>Gets the parent the change is computed against; null when the revision has no stored parent,
    /// in which case every file counts as added.</summary>
    public string? ParentId { get; init; }

    /// <summary>Gets the paths that are new in this revision.</summary>
    public required IReadOnlyList<string> Added { get; init; }

    /// <summary>Gets the paths whose content changed.</summary>
    public required IReadOnlyList<string> Modified { get; init; }

    /// <summary>Gets the paths that no longer exist in this revision.</summary>
    public required IReadOnlyList<string> Removed { get; init; }
}
