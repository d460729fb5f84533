using System.Globalization;
using System.Text;

namespace Evergreen.AgentRuntime.Agents.Tools;

/// <summary>Claude Code's <c>Read</c>: a file of the plugin with line numbers, the run's own edits included.</summary>
internal sealed class ReadTool : AgentTool
{
    private const int DefaultLineLimit = 2000;
    private const int MaxLineLength = 2000;

    public override string Name => "Read";

    protected override string Description =>
        "Reads a file of your plugin, including changes you made in this run. Paths are relative to the plugin folder. "
        + "Lines are returned numbered as '<number>\\t<text>' (the number is not part of the file). "
        + "Use offset (1-based first line) and limit (number of lines) for long files; the default is the first 2000 lines.";

    protected override string InputSchema => """
        {
          "type": "object",
          "properties": {
            "file_path": { "type": "string", "description": "The file to read, relative to the plugin folder." },
            "offset": { "type": "integer", "description": "The first line to read, 1-based." },
            "limit": { "type": "integer", "description": "How many lines to read." }
          },
          "required": ["file_path"]
        }
        """;

    public override async ValueTask<string> InvokeAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace;
        var requested = arguments.GetRequiredString("file_path");
        var path = workspace.Resolve(requested);

        var text = await workspace.ReadTextAsync(path, cancellationToken)
            ?? throw new ToolException($"File not found: '{requested}'. Use Glob to list the plugin's files.");
        if (text.Length == 0)
        {
            return $"({workspace.ToPluginPath(path)} is empty)";
        }

        var lines = text.Split('\n');
        if (lines.Length > 1 && lines[^1].Length == 0)
        {
            lines = lines[..^1];
        }

        var offset = Math.Max(arguments.GetInt32("offset") ?? 1, 1);
        var limit = Math.Clamp(arguments.GetInt32("limit") ?? DefaultLineLimit, 1, DefaultLineLimit);
        if (offset > lines.Length)
        {
            throw new ToolException($"'{requested}' has {lines.Length} lines; offset {offset} is past its end.");
        }

        var output = new StringBuilder();
        var last = Math.Min(lines.Length, offset - 1 + limit);
        for (var number = offset; number <= last; number++)
        {
            var line = lines[number - 1].TrimEnd('\r');
            output.Append(number.ToString(CultureInfo.InvariantCulture).PadLeft(6)).Append('\t')
                .Append(line.Length > MaxLineLength ? line[..MaxLineLength] + "…" : line).Append('\n');
        }

        if (last < lines.Length)
        {
            output.Append(CultureInfo.InvariantCulture, $"(lines {offset}-{last} of {lines.Length}; use offset to read more)\n");
        }

        return output.ToString();
    }
}
