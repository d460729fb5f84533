namespace Evergreen.Contracts.Snapshots;

/// <summary>A problem found while loading a revision's plugins.</summary>
public sealed record Diagnostic
{
    /// <summary>Whether the problem makes the revision invalid.</summary>
    public required DiagnosticSeverity Severity { get; init; }

    /// <summary>A stable, kebab-case identifier of the kind of problem (<c>duplicate-name</c>, <c>frontmatter-fallback</c>, …).</summary>
    public required string Code { get; init; }

    /// <summary>What is wrong and, where it helps, how to fix it.</summary>
    public required string Message { get; init; }

    /// <summary>The repository path of the file (or, for a plugin without a manifest, the folder) concerned; null when the problem is not about one path.</summary>
    public string? File { get; init; }

    /// <summary>The 1-based line in <see cref="File"/>; null when unknown.</summary>
    public int? Line { get; init; }
}
