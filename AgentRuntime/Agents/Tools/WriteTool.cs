using System.Text;

namespace Evergreen.AgentRuntime.Agents.Tools;

/// <summary>Claude Code's <c>Write</c>: replaces or creates a file of the plugin in the run's overlay.</summary>
internal sealed class WriteTool : AgentTool
{
    public override string Name => "Write";

    public override bool Writes => true;

    protected override string Description =>
        "Writes a file of your plugin (creating it or replacing its whole content). Paths are relative to the plugin folder. "
        + "The change is kept for this run and proposed for human review when the run ends; it does not take effect before approval.";

    protected override string InputSchema => """
        {
          "type": "object",
          "properties": {
            "file_path": { "type": "string", "description": "The file to write, relative to the plugin folder." },
            "content": { "type": "string", "description": "The file's complete new content." }
          },
          "required": ["file_path", "content"]
        }
        """;

    public override ValueTask<string> InvokeAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var workspace = context.Workspace;
        var requested = arguments.GetRequiredString("file_path");
        var content = arguments.GetRequiredString("content");
        var path = workspace.Resolve(requested);

        var existed = workspace.Exists(path);
        workspace.Write(path, content);
        return ValueTask.FromResult(
            $"{(existed ? "Updated" : "Created")} {workspace.ToPluginPath(path)} ({Encoding.UTF8.GetByteCount(content)} bytes); it will be proposed for review when the run ends.");
    }
}
