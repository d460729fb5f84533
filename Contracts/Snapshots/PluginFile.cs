namespace Evergreen.Contracts.Snapshots;

/// <summary>
/// One file inside a plugin's folder. The snapshot lists files by content hash only; a runtime reads a file's bytes from
/// <c>GET /api/revisions/{id}/files/{path}</c> when an agent first needs them and shares them by hash between revisions.
/// </summary>
public sealed record PluginFile
{
    /// <summary>The file's path relative to the repository root, <c>/</c>-separated.</summary>
    public required string Path { get; init; }

    /// <summary>Lower-case hex SHA-256 of the file's bytes (of the target path for a symbolic link).</summary>
    public required string Hash { get; init; }

    /// <summary>The file's size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>True for a symbolic link; an agent never reads one.</summary>
    public bool IsSymbolicLink { get; init; }
}
