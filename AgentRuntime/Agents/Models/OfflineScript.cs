namespace Evergreen.AgentRuntime.Agents.Models;

/// <summary>
/// The directives the offline model obeys in a prompt: a line <c>!fail [reason]</c> makes it fail; a line
/// <c>!write &lt;path&gt;</c> makes it write the lines that follow (up to the next directive) to that file.
/// </summary>
internal sealed record OfflineScript(string? Failure, IReadOnlyList<OfflineWrite> Writes)
{
    public static OfflineScript Parse(string prompt)
    {
        string? failure = null;
        var writes = new List<OfflineWrite>();
        string? path = null;
        var content = new List<string>();
        foreach (var raw in prompt.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.TrimStart();
            if (IsDirective(line, "!write"))
            {
                Flush();
                path = line["!write".Length..].Trim();
                continue;
            }

            if (IsDirective(line, "!fail"))
            {
                Flush();
                var reason = line["!fail".Length..].Trim();
                failure ??= reason.Length > 0 ? reason : "the prompt asked for a failure";
                continue;
            }

            if (path is not null)
            {
                content.Add(raw);
            }
        }

        Flush();
        return new OfflineScript(failure, writes);

        void Flush()
        {
            if (path is { Length: > 0 })
            {
                while (content.Count > 0 && content[^1].Trim().Length == 0)
                {
                    content.RemoveAt(content.Count - 1);
                }

                writes.Add(new OfflineWrite(path, content.Count == 0 ? "" : string.Join('\n', content) + "\n"));
            }

            path = null;
            content.Clear();
        }
    }

    private static bool IsDirective(string line, string directive) =>
        line.StartsWith(directive, StringComparison.Ordinal) && (line.Length == directive.Length || char.IsWhiteSpace(line[directive.Length]));
}

/// <summary>A file the offline model writes with the <c>Write</c> tool.</summary>
internal sealed record OfflineWrite(string Path, string Content);
