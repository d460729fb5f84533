using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Evergreen.AgentRuntime.Agents.Tools;

/// <summary>
/// A tool the model may call, named as Claude Code names it. Stateless: everything a call touches is in its
/// <see cref="ToolContext"/>, so one instance serves every run.
/// </summary>
internal abstract class AgentTool
{
    private AIFunctionDeclaration? _declaration;

    public abstract string Name { get; }

    /// <summary>True for tools that change files (<c>Write</c>, <c>Edit</c>): only agents may have them.</summary>
    public virtual bool Writes => false;

    protected abstract string Description { get; }

    /// <summary>The JSON schema of the tool's input, as JSON text.</summary>
    protected abstract string InputSchema { get; }

    /// <summary>What the model is told about the tool.</summary>
    public AIFunctionDeclaration Declaration =>
        _declaration ??= AIFunctionFactory.CreateDeclaration(Name, Description, JsonDocument.Parse(InputSchema).RootElement.Clone());

    /// <summary>Runs one call. A <see cref="ToolException"/> becomes an error result the model can act on.</summary>
    public abstract ValueTask<string> InvokeAsync(ToolArguments arguments, ToolContext context, CancellationToken cancellationToken);
}

/// <summary>What a tool call works on: the run's files and plugin.</summary>
internal sealed record ToolContext(PluginWorkspace Workspace);
