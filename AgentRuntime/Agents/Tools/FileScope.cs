namespace Evergreen.AgentRuntime.Agents.Tools;

/// <summary>The folder a <c>Glob</c> or <c>Grep</c> call searches in.</summary>
internal static class FileScope
{
    /// <summary>The repository-relative folder (or single file) for <paramref name="path"/>; the plugin folder when null.</summary>
    public static string Resolve(PluginWorkspace workspace, string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Trim() is "." or "./" or "/")
        {
            return workspace.Root;
        }

        return workspace.Resolve(path);
    }

    /// <summary>
    /// <paramref name="file"/>'s path relative to <paramref name="scope"/> (its name when the scope is the file itself);
    /// null when the file is outside the scope.
    /// </summary>
    public static string? RelativeTo(string scope, string file)
    {
        if (scope.Length == 0)
        {
            return file;
        }

        if (string.Equals(scope, file, StringComparison.Ordinal))
        {
            return file[(file.LastIndexOf('/') + 1)..];
        }

        return file.StartsWith(scope + "/", StringComparison.Ordinal) ? file[(scope.Length + 1)..] : null;
    }
}
