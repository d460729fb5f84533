using Evergreen.ConfigStore.Plugins.Dependencies;
using Evergreen.ConfigStore.Plugins.Diagnostics;
using Evergreen.ConfigStore.Plugins.Discovery;
using Evergreen.ConfigStore.Plugins.Paths;
using Evergreen.ConfigStore.Plugins.Validation;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Plugins;

/// <summary>
/// Parses the plugins of one repository tree into a normalized <see cref="CatalogSnapshot"/>, as forgiving as Claude Code:
/// messy files load with warnings, and only what would make the system misbehave is an error.
/// </summary>
/// <remarks>
/// Pure and I/O-free: the same tree and options always give the same result, and concurrent calls share nothing. Errors
/// are reserved for duplicate qualified names, paths (or symbolic links) leaving the repository, files over
/// <see cref="PluginLoadOptions.MaxFileBytes"/>, marketplace sources with <c>..</c>, broken dependencies (missing, version
/// out of range, cycles), agents without any name, and — under <see cref="PluginLoadOptions.Strict"/> — Agent Skills
/// specification violations.
/// </remarks>
public static class PluginCatalogLoader
{
    /// <summary>Loads every plugin of <paramref name="tree"/>. Never throws for bad content: problems become diagnostics.</summary>
    public static PluginLoadResult Load(RepositoryTree tree, PluginLoadOptions options) => Load(tree, options, cache: null);

    /// <summary>Loads with <see cref="PluginLoadOptions.Default"/>.</summary>
    public static PluginLoadResult Load(RepositoryTree tree) => Load(tree, PluginLoadOptions.Default);

    /// <summary>
    /// Like <see cref="Load(RepositoryTree, PluginLoadOptions)"/>, reusing the builds of plugins whose folders did not change
    /// since the previous load through <paramref name="cache"/>; the result is the same as without it.
    /// </summary>
    internal static PluginLoadResult Load(RepositoryTree tree, PluginLoadOptions options, PluginBuildCache? cache)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(options);

        var diagnostics = new DiagnosticBag(options.Strict);
        var reader = new RepositoryReader(tree, options, diagnostics);
        FileGuards.Check(tree, options, diagnostics);

        var discovery = PluginDiscovery.Discover(reader);
        var assembler = new PluginAssembler(reader);
        var builds = cache?.Start(reader, options);
        var plugins = discovery.Candidates
            .Select(candidate => builds is null ? assembler.Build(candidate) : builds.Build(candidate, assembler))
            .OfType<LoadedPlugin>()
            .ToList();

        NameValidator.Check(plugins, diagnostics);
        DependencyValidator.Check(plugins, discovery.MarketplaceName, diagnostics);

        var catalog = new CatalogSnapshot
        {
            MarketplaceName = discovery.MarketplaceName,
            Plugins = PluginFileLister.WithFiles(
                [.. plugins.Select(static p => p.Definition).OrderBy(static p => p.Name, StringComparer.Ordinal).ThenBy(static p => p.Root, StringComparer.Ordinal)],
                tree),
            RemotePlugins = [.. discovery.RemotePlugins.OrderBy(static r => r.Name, StringComparer.Ordinal)],
        };
        builds?.Complete();
        return new PluginLoadResult { Catalog = catalog, Diagnostics = diagnostics.ToSortedList() };
    }
}
