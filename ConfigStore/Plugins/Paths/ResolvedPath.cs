namespace Evergreen.ConfigStore.Plugins.Paths;

internal enum ResolvedKind
{
    Missing,
    File,
    Folder,
    Escapes,
    Loop,
}

/// <summary>Where a logical path lands once every symbolic link along it is followed.</summary>
/// <param name="RealPath">The path after following links; for <see cref="ResolvedKind.Escapes"/>, the link that leaves the repository.</param>
internal readonly record struct ResolvedPath(ResolvedKind Kind, string RealPath);
