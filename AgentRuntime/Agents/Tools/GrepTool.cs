using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Evergreen.AgentRuntime.Agents.Tools;

/// <summary>Claude Code's <c>Grep</c>: a regular expression searched through the plugin's text files.</summary>
internal sealed class GrepTool : AgentTool
{
    private const int DefaultHeadLimit = 200;
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    public override string Name => "Grep";

    protected override string Description =>
        "Searches the text files of your plugin for a regular expression (.NET syntax). output_mode 'files_with_matches' "
        + "(default) lists matching files, 'content' shows matching lines as 'path:line:text', 'count' counts matches per file. "
        + "Narrow with path (a folder or file) and glob (e.g. '*.md').";

    protected override string InputSchema => """
        {
          "type": "object",
          "properties": {
            "pattern": { "type": "string", "description": "The regular expression to search for." },
            "path": { "type": "string", "description": "A folder or file of the plugin; the whole plugin when omitted." },
            "glob": { "type": "string", "description": "Only files whose paths match this glob, e.g. '*.md'." },
            "output_mode": { "type": "string", "enum": ["files_with_matches", "content", "count"] },
            "-i": { "type": "boolean", "description": "Case-insensitive search." },
            "head_limit": { "type": "integer", "description": "At most this many output lines (default 200)." }
          },
          "required": ["pattern"]
        }
        """;

    public override async ValueTask<string> InvokeAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace;
        var regex = CreateRegex(arguments.GetRequiredString("pattern"), arguments.GetBoolean("-i"));
        var mode = arguments.GetString("output_mode") ?? "files_with_matches";
        if (mode is not ("files_with_matches" or "content" or "count"))
        {
            throw new ToolException($"Grep: output_mode '{mode}' is not one of files_with_matches, content, count.");
        }

        var glob = arguments.GetString("glob") is { Length: > 0 } g ? GlobPattern.ToRegex(g) : null;
        var scope = FileScope.Resolve(workspace, arguments.GetString("path"));
        var headLimit = Math.Clamp(arguments.GetInt32("head_limit") ?? DefaultHeadLimit, 1, 5000);
        var output = new List<string>();
        foreach (var path in workspace.ListFiles())
        {
            if (FileScope.RelativeTo(scope, path) is not { } relative || (glob is not null && !glob.IsMatch(relative)))
            {
                continue;
            }

            string? text;
            try
            {
                text = await workspace.ReadTextAsync(path, cancellationToken);
            }
            catch (ToolException)
            {
                continue; // binary, too large or a link: not searchable text
            }

            if (text is null)
            {
                continue;
            }

            Search(regex, mode, workspace.ToPluginPath(path), text, output);
            if (output.Count >= headLimit)
            {
                break;
            }
        }

        if (output.Count == 0)
        {
            return "No matches found.";
        }

        var result = new StringBuilder();
        foreach (var line in output.Take(headLimit))
        {
            result.Append(line).Append('\n');
        }

        return result.ToString();
    }

    private static void Search(Regex regex, string mode, string displayPath, string text, List<string> output)
    {
        try
        {
            switch (mode)
            {
                case "files_with_matches":
                    if (regex.IsMatch(text))
                    {
                        output.Add(displayPath);
                    }

                    break;
                case "count":
                    var count = regex.Count(text);
                    if (count > 0)
                    {
                        output.Add($"{displayPath}:{count.ToString(CultureInfo.InvariantCulture)}");
                    }

                    break;
                default:
                    var lines = text.Split('\n');
                    for (var i = 0; i < lines.Length; i++)
                    {
                        if (regex.IsMatch(lines[i]))
                        {
                            output.Add($"{displayPath}:{(i + 1).ToString(CultureInfo.InvariantCulture)}:{lines[i].TrimEnd('\r')}");
                        }
                    }

                    break;
            }
        }
        catch (RegexMatchTimeoutException)
        {
            throw new ToolException($"Grep: the pattern took too long on '{displayPath}'; simplify it.");
        }
    }

    private static Regex CreateRegex(string pattern, bool ignoreCase)
    {
        try
        {
            var options = RegexOptions.CultureInvariant | RegexOptions.Multiline | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
            return new Regex(pattern, options, MatchTimeout);
        }
        catch (ArgumentException ex)
        {
            throw new ToolException($"Grep: '{pattern}' is not a valid regular expression: {ex.Message}");
        }
    }
}
