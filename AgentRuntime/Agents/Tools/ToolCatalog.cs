namespace Evergreen.AgentRuntime.Agents.Tools;

/// <summary>
/// The tools the runtime implements, and the choice of them for a target from its Claude Code tool list
/// (<c>tools</c> of an agent, <c>allowed-tools</c> of a command or skill). Thread-safe and shared.
/// </summary>
internal sealed class ToolCatalog
{
    private readonly AgentTool[] _tools = [new ReadTool(), new GlobTool(), new GrepTool(), new WriteTool(), new EditTool(), new SkillTool()];

    public IReadOnlyList<AgentTool> All => _tools;

    /// <summary>
    /// The tools <paramref name="declared"/> names: all of them when null, none when empty. A Claude Code permission form
    /// (<c>Read(*)</c>, <c>Bash(git:*)</c>) counts as its base name; names the runtime does not implement are returned in
    /// <paramref name="ignored"/>. Tools that change files are left out unless <paramref name="allowWrites"/>.
    /// </summary>
    public IReadOnlyList<AgentTool> Select(IReadOnlyList<string>? declared, bool allowWrites, out IReadOnlyList<string> ignored)
    {
        var available = allowWrites ? _tools : [.. _tools.Where(t => !t.Writes)];
        if (declared is null)
        {
            ignored = [];
            return available;
        }

        var selected = new List<AgentTool>();
        var unknown = new List<string>();
        foreach (var entry in declared)
        {
            var name = BaseName(entry);
            if (name.Length == 0)
            {
                continue;
            }

            if (_tools.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)) is not { } tool)
            {
                unknown.Add(entry.Trim());
            }
            else if (available.Contains(tool) && !selected.Contains(tool))
            {
                selected.Add(tool);
            }
        }

        ignored = unknown;
        return selected;
    }

    /// <summary><c>Bash(git:*)</c> → <c>Bash</c>; <c>Read</c> → <c>Read</c>.</summary>
    public static string BaseName(string entry)
    {
        var text = entry.Trim();
        var paren = text.IndexOf('(', StringComparison.Ordinal);
        return (paren >= 0 ? text[..paren] : text).Trim();
    }
}
