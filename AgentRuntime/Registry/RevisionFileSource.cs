using Evergreen.AgentRuntime.Agents;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// The files of one captured revision, read through the shared <see cref="FileContentCache"/>. The run's plugin is
/// searched first (its file list is sorted by path); other paths of the revision are found through a map built on first use.
/// </summary>
internal sealed class RevisionFileSource(LoadedRevision revision, PluginDefinition plugin, FileContentCache cache) : IPluginFileSource
{
    private Dictionary<string, PluginFile>? _allFiles;

    public async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = Find(path);
        if (file is null || file.IsSymbolicLink)
        {
            return null;
        }

        return await cache.GetAsync(revision.Id, file.Path, file.Hash, cancellationToken);
    }

    private PluginFile? Find(string path)
    {
        var files = plugin.Files;
        int low = 0, high = files.Count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var comparison = string.CompareOrdinal(files[middle].Path, path);
            if (comparison == 0)
            {
                return files[middle];
            }

            if (comparison < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        _allFiles ??= revision.Catalog.Plugins.SelectMany(p => p.Files)
            .GroupBy(f => f.Path, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return _allFiles.GetValueOrDefault(path);
    }
}
