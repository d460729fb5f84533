namespace Evergreen.AgentRuntime.Agents.Tools;

/// <summary>A tool call the tool refuses; its message goes back to the model as an error result.</summary>
internal sealed class ToolException : Exception
{
    public ToolException(string message)
        : base(message)
    {
    }

    public ToolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ToolException()
    {
    }
}
