using Evergreen.ConfigStore.Plugins;
using Evergreen.ConfigStore.Plugins.Paths;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Proposals;

/// <summary>
/// Keeps an agent's proposal inside its own plugin folder: normalizes each path (drops empty and <c>.</c> segments) and
/// refuses <c>..</c>, absolute paths, backslashes, <c>.git</c>, symbolic links on the way, and the folders of other plugins.
/// Every refusal is a 403 that names the path.
/// </summary>
internal static class ProposalPathGuard
{
    /// <summary>Normalizes <paramref name="path"/> and checks it lexically against the plugin folders.</summary>
    /// <returns>The normalized path, or the reason it is refused.</returns>
    public static (string? Path, ProposalProblem? Problem) Normalize(string path, PluginDefinition own, IReadOnlyList<PluginDefinition> plugins)
    {
        if (path.StartsWith('/') || path.StartsWith('~') || (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':'))
        {
            return (null, Forbidden(path, "is absolute; give a path relative to the repository root"));
        }

        if (path.Contains('\\', StringComparison.Ordinal) || path.Any(char.IsControl))
        {
            return (null, Forbidden(path, "contains a backslash or a control character; separate folders with '/'"));
        }

        var segments = path.Split('/').Where(static s => s is not ("" or ".")).ToArray();
        if (segments.Contains(".."))
        {
            return (null, Forbidden(path, "contains '..'; proposals may not leave the plugin folder"));
        }

        if (segments.Any(static s => s.Equals(".git", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, Forbidden(path, "is inside a '.git' folder, which is git's own data"));
        }

        if (segments.Length == 0)
        {
            return (null, Forbidden(path, "names no file"));
        }

        var normalized = string.Join('/', segments);
        // The plugin whose folder is the longest prefix owns the path: a plugin nested inside another owns its own folder.
        var owner = plugins
            .Where(p => RepositoryPath.IsWithin(normalized, p.Root))
            .MaxBy(static p => p.Root.Length);
        if (owner is not null && owner.Root != own.Root)
        {
            return (null, Forbidden(path, $"belongs to plugin '{owner.Name}' (folder '{owner.Root}'); an agent may change only its own plugin's files"));
        }

        return owner is null
            ? (null, Forbidden(path, $"is outside the plugin folder '{own.Root}'; an agent may change only its own plugin's files"))
            : (normalized, null);
    }

    /// <summary>Refuses a path when it, or a folder on the way to it, is a symbolic link in <paramref name="tree"/>.</summary>
    public static ProposalProblem? CheckSymbolicLinks(string path, RepositoryTree tree)
    {
        var end = -1;
        do
        {
            end = path.IndexOf('/', end + 1);
            var prefix = end < 0 ? path : path[..end];
            if (tree.Find(prefix) is { IsSymbolicLink: true })
            {
                return Forbidden(path, $"goes through the symbolic link '{prefix}'; proposals may not write through links");
            }
        }
        while (end >= 0);

        return null;
    }

    private static ProposalProblem Forbidden(string path, string why) => new(
        StatusCodes.Status403Forbidden,
        "The proposal writes outside the agent's plugin folder.",
        $"files: '{path}' {why}.",
        new Dictionary<string, object?> { ["path"] = path });
}
