using System.Text;

namespace Evergreen.AgentRuntime.Agents.Tools;

/// <summary>Claude Code's <c>Glob</c>: the plugin's files whose paths match a pattern.</summary>
internal sealed class GlobTool : AgentTool
{
    private const int MaxResults = 1000;

    public override string Name => "Glob";

    protected override string Description =>
        "Lists the files of your plugin whose paths match a glob pattern (e.g. '**/*.md', 'agents/*.md', 'skills/**'). "
        + "Paths are relative to the plugin folder; files you wrote in this run are included.";

    protected override string InputSchema => """
        {
          "type": "object",
          "properties": {
            "pattern": { "type": "string", "description": "The glob to match, e.g. '**/*.md'." },
            "path": { "type": "string", "description": "A folder of the plugin to search in; the whole plugin when omitted." }
          },
          "required": ["pattern"]
        }
        """;

    public override ValueTask<string> InvokeAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace;
        var regex = GlobPattern.ToRegex(arguments.GetRequiredString("pattern"));
        var folder = FileScope.Resolve(workspace, arguments.GetString("path"));
        var matches = new List<string>();
        foreach (var path in workspace.ListFiles())
        {
            if (FileScope.RelativeTo(folder, path) is { } relative && regex.IsMatch(relative))
            {
                matches.Add(workspace.ToPluginPath(path));
            }
        }

        if (matches.Count == 0)
        {
            return ValueTask.FromResult("No files found.");
        }

        var output = new StringBuilder();
        foreach (var match in matches.Take(MaxResults))
        {
            output.Append(match).Append('\n');
        }

        if (matches.Count > MaxResults)
        {
            output.Append($"({matches.Count - MaxResults} more not shown; narrow the pattern)\n");
        }

        return ValueTask.FromResult(output.ToString());
    }
}
