using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>Lookups over one revision's catalog: plugins by name, agents by qualified and by bare name. Immutable.</summary>
internal sealed class CatalogIndex
{
    // Plain dictionaries: building a frozen one costs more at activation than it saves on a few lookups per request.
    private readonly Dictionary<string, PluginDefinition> _plugins;
    private readonly Dictionary<string, AgentEntry> _agents;
    private readonly Dictionary<string, AgentEntry[]> _agentsByBareName;

    public CatalogIndex(IReadOnlyList<PluginDefinition> plugins)
    {
        _plugins = new Dictionary<string, PluginDefinition>(plugins.Count, StringComparer.Ordinal);
        var agents = new List<AgentEntry>(plugins.Count * 3);
        foreach (var plugin in plugins)
        {
            _plugins.Add(plugin.Name, plugin);
            foreach (var agent in plugin.Agents)
            {
                agents.Add(new AgentEntry(plugin, agent));
            }
        }

        Agents = agents;
        _agents = new Dictionary<string, AgentEntry>(agents.Count, StringComparer.Ordinal);
        var byBareName = new Dictionary<string, List<AgentEntry>>(StringComparer.Ordinal);
        foreach (var entry in agents)
        {
            _agents.Add(entry.Agent.QualifiedName, entry);
            if (!byBareName.TryGetValue(entry.Agent.Name, out var sameName))
            {
                byBareName.Add(entry.Agent.Name, sameName = new List<AgentEntry>(1));
            }

            sameName.Add(entry);
        }

        _agentsByBareName = new Dictionary<string, AgentEntry[]>(byBareName.Count, StringComparer.Ordinal);
        foreach (var (name, entries) in byBareName)
        {
            _agentsByBareName.Add(name, [.. entries]);
        }
    }

    /// <summary>Every agent of the revision, in plugin then agent order.</summary>
    public IReadOnlyList<AgentEntry> Agents { get; }

    public PluginDefinition? FindPlugin(string name) => _plugins.GetValueOrDefault(name);

    /// <summary>Resolves <c>plugin:agent</c>, or a bare name: one match, none, or the ambiguous candidates.</summary>
    public AgentLookup FindAgent(string name)
    {
        if (name.Contains(':', StringComparison.Ordinal))
        {
            return _agents.TryGetValue(name, out var qualified) ? new AgentLookup(qualified, []) : new AgentLookup(null, []);
        }

        return _agentsByBareName.TryGetValue(name, out var candidates) switch
        {
            false => new AgentLookup(null, []),
            true when candidates.Length == 1 => new AgentLookup(candidates[0], []),
            _ => new AgentLookup(null, candidates),
        };
    }
}

/// <summary>An agent with the plugin it belongs to.</summary>
internal sealed record AgentEntry(PluginDefinition Plugin, AgentDefinition Agent);

/// <summary>The result of <see cref="CatalogIndex.FindAgent"/>: <see cref="Match"/>, or several <see cref="Candidates"/>, or neither.</summary>
internal sealed record AgentLookup(AgentEntry? Match, IReadOnlyList<AgentEntry> Candidates);
