using Evergreen.ConfigStore.Plugins.Components;
using Evergreen.ConfigStore.Plugins.Dependencies;
using Evergreen.ConfigStore.Plugins.Discovery;
using Evergreen.ConfigStore.Plugins.Manifest;
using Evergreen.ConfigStore.Plugins.Paths;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Plugins;

/// <summary>Builds one plugin from its folder. A file that cannot be read or parsed costs that file, never the plugin.</summary>
internal sealed class PluginAssembler(RepositoryReader reader)
{
    private readonly ComponentLocator _locator = new(reader);

    public LoadedPlugin? Build(PluginCandidate candidate)
    {
        if (PluginManifestReader.Read(candidate, reader) is not { } manifest)
        {
            return null;
        }

        var diagnostics = reader.Diagnostics;
        var root = candidate.Root;
        var name = manifest.Name;
        var data = new PluginDataReader(reader, _locator);
        var (hooks, hooksFile) = data.Hooks(root, manifest.Hooks);
        var (mcpServers, mcpFile) = data.McpServers(root, manifest.McpServers);

        var agents = _locator.MarkdownFiles(root, manifest.Agents, "agents")
            .Select(file => reader.ReadText(file) is { } text ? AgentReader.Read(name, file, text, diagnostics) : null)
            .OfType<AgentDefinition>();
        var commands = _locator.MarkdownFiles(root, manifest.Commands, "commands")
            .Select(file => reader.ReadText(file) is { } text ? CommandReader.Read(name, file, text, diagnostics) : null)
            .OfType<CommandDefinition>();
        var skills = _locator.SkillFolders(root, manifest.Skills)
            .Select(folder => (Folder: folder, File: RepositoryPath.Combine(folder, "SKILL.md")))
            .Select(skill => reader.ReadText(skill.File) is { } text ? SkillReader.Read(name, skill.Folder, skill.File, text, diagnostics) : null)
            .OfType<SkillDefinition>();

        var definition = new PluginDefinition
        {
            Name = name,
            Version = manifest.Version,
            Description = manifest.Description,
            Author = manifest.Author,
            Root = root,
            Origin = candidate.Origin,
            ManifestFile = manifest.ManifestFile,
            Agents = [.. agents.OrderBy(static a => a.Name, StringComparer.Ordinal).ThenBy(static a => a.File, StringComparer.Ordinal)],
            Skills = [.. skills.OrderBy(static s => s.Name, StringComparer.Ordinal).ThenBy(static s => s.File, StringComparer.Ordinal)],
            Commands = [.. commands.OrderBy(static c => c.Name, StringComparer.Ordinal).ThenBy(static c => c.File, StringComparer.Ordinal)],
            Hooks = hooks,
            HooksFile = hooksFile,
            McpServers = mcpServers,
            McpServersFile = mcpFile,
            Dependencies = DependencyReader.Read(manifest.Dependencies, diagnostics),
            Metadata = manifest.Metadata,
        };
        return new LoadedPlugin(definition, manifest.Dependencies?.File ?? manifest.ManifestFile ?? (candidate.MarketplaceEntry is null ? null : MarketplaceReader.MarketplaceFile));
    }
}
