using Evergreen.AgentRuntime.Registry;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Api;

/// <summary>The catalog in the claude-code-plugin-rest-api shapes.</summary>
internal static class PluginViews
{
    public static PluginSummaryView Summary(PluginDefinition plugin) => new(
        plugin.Name,
        plugin.Version,
        plugin.Description,
        [.. plugin.Commands.Select(c => new ComponentView(c.Name, c.Description))],
        [.. plugin.Agents.Select(a => new ComponentView(a.Name, a.Description))],
        [.. plugin.Skills.Select(s => new ComponentView(s.Name, s.Description))]);

    public static PluginDetailView Detail(PluginDefinition plugin)
    {
        var root = $"/v1/plugins/{Uri.EscapeDataString(plugin.Name)}";
        return new PluginDetailView(
            plugin.Name,
            plugin.Version,
            plugin.Description,
            [.. plugin.Commands.Select(c => new ComponentLinkView(c.Name, c.Description, $"{root}/commands/{Uri.EscapeDataString(c.Name)}"))],
            [.. plugin.Agents.Select(a => new ComponentLinkView(a.Name, a.Description, $"{root}/agents/{Uri.EscapeDataString(a.Name)}"))],
            [.. plugin.Skills.Select(s => new ComponentLinkView(s.Name, s.Description, $"{root}/skills/{Uri.EscapeDataString(s.Name)}"))]);
    }

    public static AgentView Agent(AgentEntry entry) => new(
        entry.Agent.QualifiedName,
        entry.Plugin.Name,
        entry.Agent.Name,
        entry.Agent.Description,
        entry.Agent.Model,
        entry.Agent.Tools,
        $"/v1/agents/{Uri.EscapeDataString(entry.Agent.QualifiedName)}");
}

internal sealed record ComponentView(string Name, string? Description);

internal sealed record ComponentLinkView(string Name, string? Description, string Endpoint);

internal sealed record PluginSummaryView(
    string Name, string? Version, string? Description, IReadOnlyList<ComponentView> Commands, IReadOnlyList<ComponentView> Agents, IReadOnlyList<ComponentView> Skills);

internal sealed record PluginListView(IReadOnlyList<PluginSummaryView> Plugins, int Count);

internal sealed record PluginDetailView(
    string Name, string? Version, string? Description, IReadOnlyList<ComponentLinkView> Commands, IReadOnlyList<ComponentLinkView> Agents, IReadOnlyList<ComponentLinkView> Skills);

internal sealed record AgentView(string Name, string Plugin, string Agent, string? Description, string? Model, IReadOnlyList<string>? Tools, string Endpoint);

internal sealed record AgentListView(IReadOnlyList<AgentView> Agents, int Count);
