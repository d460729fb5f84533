namespace Evergreen.Contracts.Proposals;

/// <summary>The body of <c>POST /api/proposals</c>: an agent's change to its own plugin's files.</summary>
public sealed record ProposalRequest
{
    /// <summary>The agent's qualified name (<c>plugin:agent</c>) or a bare name unique in the latest valid revision.</summary>
    public required string Agent { get; init; }

    /// <summary>The files to write or delete, each inside the agent's own plugin folder.</summary>
    public required IReadOnlyList<ProposedFile> Files { get; init; }

    /// <summary>Why the agent proposes the change; becomes part of the commit message.</summary>
    public string? Rationale { get; init; }

    /// <summary>The run that produced the change, when a runtime submits it.</summary>
    public string? RunId { get; init; }
}

/// <summary>One file of a proposal: new content, or <see cref="Delete"/>.</summary>
public sealed record ProposedFile
{
    /// <summary>The repository-relative path, <c>/</c>-separated.</summary>
    public required string Path { get; init; }

    /// <summary>The file's new UTF-8 content; null when <see cref="Delete"/> is true.</summary>
    public string? Content { get; init; }

    /// <summary>True to delete the file.</summary>
    public bool Delete { get; init; }
}
