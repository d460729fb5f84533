using System.Runtime.CompilerServices;
using Evergreen.ConfigStore.Plugins.Paths;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Plugins;

/// <summary>
/// Lists each plugin's files for the snapshot. A file belongs to the plugin with the deepest root above it, so a
/// repository-root plugin does not also claim the files of the plugins nested in its folders.
/// </summary>
/// <remarks>
/// A plugin whose build was reused (<see cref="PluginBuildCache"/>) and whose files are unchanged gets the very object it got
/// last time, so what is derived from that object (its serialized form, <see cref="Revisions.RevisionJson"/>) is reused too.
/// </remarks>
internal static class PluginFileLister
{
    // Built definition → the last definition listed from it. Keyed by identity: an entry lives as long as the build.
    private static readonly ConditionalWeakTable<PluginDefinition, PluginDefinition> Listed = [];

    public static IReadOnlyList<PluginDefinition> WithFiles(IReadOnlyList<PluginDefinition> plugins, RepositoryTree tree)
    {
        var roots = plugins.Select(static p => p.Root).Distinct(StringComparer.Ordinal).ToList();
        return [.. plugins.Select(plugin => WithFiles(plugin, FilesOf(plugin.Root, roots, tree)))];
    }

    private static PluginDefinition WithFiles(PluginDefinition plugin, List<PluginFile> files)
    {
        if (Listed.TryGetValue(plugin, out var listed) && listed.Files.SequenceEqual(files))
        {
            return listed;
        }

        listed = plugin with { Files = files };
        Listed.AddOrUpdate(plugin, listed);
        return listed;
    }

    private static List<PluginFile> FilesOf(string root, List<string> roots, RepositoryTree tree)
    {
        var nested = roots.Where(other => other.Length > root.Length && RepositoryPath.IsWithin(other, root)).ToList();
        var files = new List<PluginFile>();
        foreach (var file in tree.UnderFolder(root))
        {
            if (nested.Exists(other => RepositoryPath.IsWithin(file.Path, other)))
            {
                continue;
            }

            files.Add(new PluginFile
            {
                Path = file.Path,
                Hash = ContentHashes.Of(file),
                Size = file.Content.Length,
                IsSymbolicLink = file.IsSymbolicLink,
            });
        }

        return files;
    }
}
