using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Agents.Tools;

/// <summary>Claude Code's <c>Skill</c>: loads the instructions of one of the plugin's skills.</summary>
internal sealed class SkillTool : AgentTool
{
    public override string Name => "Skill";

    protected override string Description =>
        "Loads a skill of your plugin by name and returns its instructions (SKILL.md). The skills you may load are listed in your instructions.";

    protected override string InputSchema => """
        {
          "type": "object",
          "properties": {
            "skill": { "type": "string", "description": "The skill's name, e.g. 'pdf' or 'plugin:pdf'." }
          },
          "required": ["skill"]
        }
        """;

    public override ValueTask<string> InvokeAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var plugin = context.Workspace.Plugin;
        var name = arguments.GetRequiredString("skill").Trim().TrimStart('/');
        var skill = Find(plugin, name) ?? throw new ToolException(
            plugin.Skills.Count == 0
                ? $"Skill '{name}' not found: the plugin '{plugin.Name}' has no skills."
                : $"Skill '{name}' not found. Skills of '{plugin.Name}': {string.Join(", ", plugin.Skills.Select(s => s.Name))}.");
        var folder = context.Workspace.ToPluginPath(skill.Folder);
        return ValueTask.FromResult($"Skill {skill.QualifiedName} (files in '{folder}'):\n\n{skill.Body}");
    }

    private static SkillDefinition? Find(PluginDefinition plugin, string name) =>
        plugin.Skills.FirstOrDefault(s => string.Equals(s.QualifiedName, name, StringComparison.OrdinalIgnoreCase))
        ?? plugin.Skills.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
