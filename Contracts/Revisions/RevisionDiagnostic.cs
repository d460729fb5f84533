namespace Evergreen.Contracts.Revisions;

/// <summary>A warning or error reported while loading a revision's plugins.</summary>
public sealed record RevisionDiagnostic
{
    /// <summary>Gets <c>error</c> or <c>warning</c>.</summary>
    public required string Severity { get; init; }

    /// <summary>Gets the stable diagnostic code, for example <c>frontmatter-fallback</c>.</summary>
    public required string Code { get; init; }

    /// <summary>Gets the human-readable message.</summary>
    public required string Message { get; init; }

    /// <summary>Gets the repository path the diagnostic is about; null when it is about the repository as a whole.</summary>
    public string? File { get; init; }

    /// <summary>Gets the 1-based line in <see cref="File"/>; null when unknown.</summary>
    public int? Line { get; init; }
}
