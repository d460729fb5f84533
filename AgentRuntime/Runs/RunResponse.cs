using System.Text.Json.Serialization;
using Evergreen.AgentRuntime.Agents;

namespace Evergreen.AgentRuntime.Runs;

/// <summary>The answer to a run, in the claude-code-plugin-rest-api shape plus Evergreen's run, revision and replica.</summary>
internal sealed record RunResponse
{
    public required bool Success { get; init; }

    public required string Result { get; init; }

    public required int Turns { get; init; }

    public required UsageView Usage { get; init; }

    public required string RunId { get; init; }

    public required string Revision { get; init; }

    public required string Replica { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ProposalOutcome? Proposal { get; init; }
}

internal sealed record UsageView(long InputTokens, long OutputTokens);
