namespace Evergreen.AgentRuntime.Agents.Tools;

/// <summary>Claude Code's <c>Edit</c>: replaces an exact string in a file of the plugin, in the run's overlay.</summary>
internal sealed class EditTool : AgentTool
{
    public override string Name => "Edit";

    public override bool Writes => true;

    protected override string Description =>
        "Replaces old_string with new_string in a file of your plugin. old_string must match the file exactly (without the "
        + "line numbers Read shows) and be unique in it unless replace_all is true. The change is proposed for human review when the run ends.";

    protected override string InputSchema => """
        {
          "type": "object",
          "properties": {
            "file_path": { "type": "string", "description": "The file to edit, relative to the plugin folder." },
            "old_string": { "type": "string", "description": "The exact text to replace." },
            "new_string": { "type": "string", "description": "The text to put in its place." },
            "replace_all": { "type": "boolean", "description": "Replace every occurrence instead of exactly one." }
          },
          "required": ["file_path", "old_string", "new_string"]
        }
        """;

    public override async ValueTask<string> InvokeAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace;
        var requested = arguments.GetRequiredString("file_path");
        var oldString = arguments.GetRequiredString("old_string");
        var newString = arguments.GetRequiredString("new_string");
        var replaceAll = arguments.GetBoolean("replace_all");
        var path = workspace.Resolve(requested);

        if (oldString.Length == 0)
        {
            throw new ToolException("Edit: old_string is empty; use Write to create a file or replace its whole content.");
        }

        if (string.Equals(oldString, newString, StringComparison.Ordinal))
        {
            throw new ToolException("Edit: old_string and new_string are the same; nothing would change.");
        }

        var text = await workspace.ReadTextAsync(path, cancellationToken)
            ?? throw new ToolException($"File not found: '{requested}'. Use Write to create it.");
        var occurrences = Count(text, oldString);
        if (occurrences == 0)
        {
            throw new ToolException($"Edit: old_string was not found in '{requested}'. Read the file and copy the text exactly.");
        }

        if (occurrences > 1 && !replaceAll)
        {
            throw new ToolException(
                $"Edit: old_string occurs {occurrences} times in '{requested}'; add surrounding text to make it unique or set replace_all.");
        }

        string updated;
        if (replaceAll)
        {
            updated = text.Replace(oldString, newString, StringComparison.Ordinal);
        }
        else
        {
            var index = text.IndexOf(oldString, StringComparison.Ordinal);
            updated = string.Concat(text.AsSpan(0, index), newString, text.AsSpan(index + oldString.Length));
        }

        workspace.Write(path, updated);
        return $"Edited {workspace.ToPluginPath(path)}: replaced {(replaceAll ? occurrences : 1)} occurrence(s); it will be proposed for review when the run ends.";
    }

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
