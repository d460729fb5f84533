using Evergreen.ConfigStore.Plugins.Diagnostics;
using Evergreen.ConfigStore.Plugins.Paths;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Plugins.Discovery;

/// <summary>
/// Finds the plugin folders of a repository in every layout: a marketplace, folders with <c>.claude-plugin/plugin.json</c>,
/// folders with only component folders, and the project's <c>.claude/</c> folder.
/// </summary>
/// <remarks>
/// With a marketplace, only what it lists is loaded (as Claude Code does), plus the project folder; a plugin folder it
/// does not list gets a warning. Without one, every manifest folder is a plugin, and so is every folder (not hidden, not
/// inside another plugin) holding <c>agents/*.md</c>, <c>commands/*.md</c> or <c>skills/*/SKILL.md</c>.
/// </remarks>
internal static class PluginDiscovery
{
    public const string ProjectFolder = ".claude";
    public const string ManifestPath = ".claude-plugin/plugin.json";
    private const string ProjectPluginsFolder = ".claude/plugins";

    public static DiscoveryResult Discover(RepositoryReader reader)
    {
        var marketplace = MarketplaceReader.Read(reader);
        var candidates = new List<PluginCandidate>(marketplace?.Candidates ?? []);
        var claimed = new HashSet<string>(candidates.Select(static c => c.Root), StringComparer.Ordinal);

        foreach (var folder in reader.List(ProjectPluginsFolder).Folders.Where(folder => !claimed.Contains(folder)))
        {
            var hasManifest = reader.Resolve(RepositoryPath.Combine(folder, ManifestPath)).Kind == ResolvedKind.File;
            Claim(new PluginCandidate(folder, hasManifest ? PluginOrigin.Manifest : PluginOrigin.Folder));
        }

        foreach (var file in reader.Tree.Files)
        {
            if (file.Path != ManifestPath && !file.Path.EndsWith("/" + ManifestPath, StringComparison.Ordinal))
            {
                continue;
            }

            var root = RepositoryPath.Parent(RepositoryPath.Parent(file.Path));
            if (claimed.Contains(root))
            {
                continue;
            }

            if (marketplace is not null)
            {
                reader.Diagnostics.Warning(DiagnosticCodes.PluginNotListed, $"The plugin in '{root}' is not listed in {MarketplaceReader.MarketplaceFile}, so it is not loaded. Add an entry with \"source\": \"./{root}\".", file.Path);
                continue;
            }

            Claim(new PluginCandidate(root, PluginOrigin.Manifest));
        }

        if (!claimed.Contains(ProjectFolder) && new[] { "agents", "skills", "commands" }.Any(c => reader.Resolve(RepositoryPath.Combine(ProjectFolder, c)).Kind == ResolvedKind.Folder))
        {
            Claim(new PluginCandidate(ProjectFolder, PluginOrigin.Project) { ManifestOptional = true });
        }

        foreach (var root in ComponentFolderOwners(reader.Tree).Where(root => !IsClaimed(root, claimed)))
        {
            if (marketplace is not null)
            {
                reader.Diagnostics.Warning(DiagnosticCodes.PluginNotListed, $"'{root}' holds plugin components but is not listed in {MarketplaceReader.MarketplaceFile}, so it is not loaded.", root.Length == 0 ? null : root);
            }
            else if (root.Length == 0)
            {
                reader.Diagnostics.Warning(DiagnosticCodes.PluginUnnamed, $"The repository root has component folders but no {ManifestPath} to name the plugin; they were not loaded. Add a plugin.json with a name.");
            }
            else
            {
                Claim(new PluginCandidate(root, PluginOrigin.Folder));
            }
        }

        return new DiscoveryResult(marketplace?.MarketplaceName, candidates, marketplace?.RemotePlugins ?? []);

        void Claim(PluginCandidate candidate)
        {
            candidates.Add(candidate);
            claimed.Add(candidate.Root);
        }
    }

    /// <summary>True when <paramref name="folder"/> or a folder above it is claimed: the claimed folders' lookups, not a scan of them.</summary>
    private static bool IsClaimed(string folder, HashSet<string> claimed)
    {
        if (claimed.Contains(string.Empty) || claimed.Contains(folder))
        {
            return true;
        }

        for (var slash = folder.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = folder.IndexOf('/', slash + 1))
        {
            if (claimed.Contains(folder[..slash]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Folders that directly hold component folders, shallowest first, skipping hidden paths (<c>.github/agents</c> is not Claude's).</summary>
    private static IEnumerable<string> ComponentFolderOwners(RepositoryTree tree)
    {
        var owners = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in tree.Files)
        {
            var segments = file.Path.Split('/');
            var owner = segments switch
            {
                [.. var head, "agents" or "commands", var name] when name.EndsWith(".md", StringComparison.OrdinalIgnoreCase) => head,
                [.. var head, "skills", _, "SKILL.md"] => head,
                _ => null,
            };
            if (owner is not null && !owner.Any(static s => s.StartsWith('.')))
            {
                owners.Add(string.Join('/', owner));
            }
        }

        return owners.OrderBy(static o => o.Length == 0 ? 0 : o.Count(static c => c == '/') + 1).ThenBy(static o => o, StringComparer.Ordinal);
    }
}
