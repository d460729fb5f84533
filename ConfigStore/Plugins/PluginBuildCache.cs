using Evergreen.ConfigStore.Plugins.Diagnostics;
using Evergreen.ConfigStore.Plugins.Discovery;
using Evergreen.ConfigStore.Plugins.Paths;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Plugins;

/// <summary>
/// Remembers how each plugin folder was built (its definition and the diagnostics met building it), so that loading the
/// next commit rebuilds only the plugins whose folders changed. Discovery, the file guards, name and dependency validation
/// and the file lists are cross-plugin and always run over the whole tree; only the per-plugin build is reused.
/// </summary>
/// <remarks>
/// A build is reused only when it is certain to come out the same: the same candidate (folder, origin, marketplace entry)
/// and load options, the same files under the folder (path, link flag and content hash), no file at a folder above it, and
/// the first build looked at nothing outside the folder (a symbolic link or manifest path leading elsewhere makes that
/// plugin uncached). Keeps only the builds of the latest load. One load at a time (the sync loop); the state is an
/// immutable generation replaced after each load.
/// </remarks>
internal sealed class PluginBuildCache
{
    private Dictionary<BuildKey, Entry> _current = [];

    /// <summary>How many plugin builds the latest load reused (for tests and timing logs).</summary>
    public int LastReused { get; private set; }

    /// <summary>How many plugin builds the latest load ran.</summary>
    public int LastBuilt { get; private set; }

    internal Load Start(RepositoryReader reader, PluginLoadOptions options) => new(this, Volatile.Read(ref _current), reader, options);

    private void Complete(Load load)
    {
        LastReused = load.Reused;
        LastBuilt = load.Built;
        Volatile.Write(ref _current, load.Next);
    }

    /// <summary>One load's use of the cache: builds or reuses each candidate, then <see cref="Complete"/> keeps what it used.</summary>
    internal sealed class Load(PluginBuildCache owner, Dictionary<BuildKey, Entry> previous, RepositoryReader reader, PluginLoadOptions options)
    {
        public Dictionary<BuildKey, Entry> Next { get; } = [];

        public int Reused { get; private set; }

        public int Built { get; private set; }

        public LoadedPlugin? Build(PluginCandidate candidate, PluginAssembler assembler)
        {
            var tree = reader.Tree;
            var key = new BuildKey(candidate.Root, candidate.Origin, candidate.ManifestOptional, candidate.MarketplaceEntry?.GetRawText(), options);
            var files = tree.UnderFolder(candidate.Root);
            var cacheable = files.Length > 0 && NoFileAbove(tree, candidate.Root);
            if (cacheable && previous.TryGetValue(key, out var known) && SameFiles(files, known.Files))
            {
                reader.Diagnostics.AddRange(known.Diagnostics);
                Next[key] = known;
                Reused++;
                return known.Plugin;
            }

            var mark = reader.Diagnostics.Count;
            reader.BeginScope(candidate.Root);
            LoadedPlugin? plugin;
            try
            {
                plugin = assembler.Build(candidate);
            }
            finally
            {
                cacheable &= reader.EndScope();
            }

            Built++;
            if (cacheable)
            {
                Next[key] = new Entry(files.ToArray(), plugin, reader.Diagnostics.Since(mark));
            }

            return plugin;
        }

        public void Complete() => owner.Complete(this);

        private static bool NoFileAbove(RepositoryTree tree, string root)
        {
            for (var slash = root.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = root.IndexOf('/', slash + 1))
            {
                if (tree.Find(root[..slash]) is not null)
                {
                    return false;
                }
            }

            return root.Length == 0 || tree.Find(root) is null;
        }

        private static bool SameFiles(ReadOnlySpan<RepositoryFile> files, RepositoryFile[] known)
        {
            if (files.Length != known.Length)
            {
                return false;
            }

            for (var i = 0; i < files.Length; i++)
            {
                var (file, other) = (files[i], known[i]);
                if (!ReferenceEquals(file, other)
                    && (file.Path != other.Path
                        || file.IsSymbolicLink != other.IsSymbolicLink
                        || file.LinkTarget != other.LinkTarget
                        || ContentHashes.Of(file) != ContentHashes.Of(other)))
                {
                    return false;
                }
            }

            return true;
        }
    }

    internal readonly record struct BuildKey(string Root, PluginOrigin Origin, bool ManifestOptional, string? MarketplaceEntry, PluginLoadOptions Options);

    internal sealed record Entry(RepositoryFile[] Files, LoadedPlugin? Plugin, Diagnostic[] Diagnostics);
}
