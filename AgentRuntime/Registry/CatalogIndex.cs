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
        _plugins = plugins.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var agents = plugins.SelectMany(p => p.Agents.Select(a => new AgentEntry(p, a))).ToList();
        Agents = agents;
        _agents = agents.ToDictionary(a => a.Agent.QualifiedName, StringComparer.Ordinal);
        _agentsByBareName = agents.GroupBy(a => a.Agent.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
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
