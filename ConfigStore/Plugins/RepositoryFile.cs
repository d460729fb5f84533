namespace Evergreen.ConfigStore.Plugins;

/// <summary>One file of a repository tree, as git stores it.</summary>
/// <param name="Path">The path relative to the repository root, <c>/</c>-separated, without <c>.</c> or <c>..</c> segments.</param>
/// <param name="Content">The file's bytes. For a symbolic link, git stores the target path here; <see cref="LinkTarget"/> is what the loader reads.</param>
/// <param name="IsSymbolicLink">True for a symbolic link (git mode 120000).</param>
/// <param name="LinkTarget">The link's target as written (relative to the link's folder, or absolute); null when not a link.</param>
public sealed record RepositoryFile(string Path, ReadOnlyMemory<byte> Content, bool IsSymbolicLink = false, string? LinkTarget = null);
