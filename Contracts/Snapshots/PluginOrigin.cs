using System.Text.Json.Serialization;

namespace Evergreen.Contracts.Snapshots;

/// <summary>How a plugin was found in the repository.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PluginOrigin>))]
public enum PluginOrigin
{
    /// <summary>Listed with a <c>./</c> source in <c>.claude-plugin/marketplace.json</c>.</summary>
    Marketplace,

    /// <summary>A folder holding <c>.claude-plugin/plugin.json</c>.</summary>
    Manifest,

    /// <summary>A folder with <c>agents/</c>, <c>skills/</c> or <c>commands/</c> but no manifest; named after the folder.</summary>
    Folder,

    /// <summary>The project's own <c>.claude/</c> folder (<c>.claude/agents</c>, <c>.claude/skills</c>, <c>.claude/commands</c>).</summary>
    Project,
}
