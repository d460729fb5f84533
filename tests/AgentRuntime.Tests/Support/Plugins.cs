namespace Evergreen.AgentRuntime.Tests.Support;

/// <summary>Plugin files for the tests.</summary>
internal static class Plugins
{
    /// <summary>Plugin <c>review</c> with agent <c>reviewer</c> answering <paramref name="body"/>, a command and a skill.</summary>
    public static (string Path, string Content)[] Review(string body = "Review version A.") =>
    [
        ("review/.claude-plugin/plugin.json", PluginGitRepository.Manifest("review", description: "The review plugin.")),
        ("review/agents/reviewer.md", PluginGitRepository.Agent("reviewer", body)),
        ("review/commands/summarize.md", "---\ndescription: Summarize a change.\n---\n\nSummarize $ARGUMENTS\n"),
        ("review/skills/style/SKILL.md", "---\nname: style\ndescription: The style guide.\n---\n\nWrite plainly.\n"),
        ("review/notes.txt", "notes of version A\n"),
    ];

    /// <summary>Plugin <paramref name="plugin"/> with one agent named <paramref name="agent"/>.</summary>
    public static (string Path, string Content)[] WithAgent(string plugin, string agent) =>
    [
        ($"{plugin}/.claude-plugin/plugin.json", PluginGitRepository.Manifest(plugin, description: $"The {plugin} plugin.")),
        ($"{plugin}/agents/{agent}.md", PluginGitRepository.Agent(agent, $"You are {plugin}'s {agent}.")),
    ];
}
