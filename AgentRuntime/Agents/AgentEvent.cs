using System.Text.Json;
using System.Text.Json.Serialization;
using Evergreen.Contracts.Proposals;

namespace Evergreen.AgentRuntime.Agents;

/// <summary>One event of a run; <see cref="Type"/> is the SSE <c>type</c> field.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(AgentDelta), "delta")]
[JsonDerivedType(typeof(AgentToolUse), "tool_use")]
[JsonDerivedType(typeof(AgentToolResult), "tool_result")]
[JsonDerivedType(typeof(AgentCompleted), "complete")]
[JsonDerivedType(typeof(AgentFailed), "error")]
public abstract record AgentEvent;

/// <summary>Text the model produced.</summary>
public sealed record AgentDelta(string Text) : AgentEvent;

/// <summary>The model called a tool.</summary>
public sealed record AgentToolUse(string Id, string Name, JsonElement Input) : AgentEvent;

/// <summary>What a tool returned to the model.</summary>
public sealed record AgentToolResult(string Id, string Name, string Output, bool IsError) : AgentEvent;

/// <summary>The run finished; the last event of a successful run.</summary>
public sealed record AgentCompleted(AgentResult Result) : AgentEvent;

/// <summary>The run failed (model error, <c>!fail</c>); the last event of a failed run.</summary>
public sealed record AgentFailed(string Message) : AgentEvent;

/// <summary>The outcome of a finished run.</summary>
public sealed record AgentResult
{
    /// <summary>True when the model ended its turn (or hit the turn limit) without an error.</summary>
    public required bool Success { get; init; }

    /// <summary>The final text answer.</summary>
    public required string Result { get; init; }

    /// <summary>How many model calls the run made.</summary>
    public required int Turns { get; init; }

    /// <summary>Tokens used over all turns.</summary>
    public required AgentUsage Usage { get; init; }

    /// <summary>What happened to the run's file changes; null when it made none.</summary>
    public ProposalOutcome? Proposal { get; init; }
}

/// <summary>Token usage summed over a run.</summary>
public sealed record AgentUsage(long InputTokens, long OutputTokens);

/// <summary>
/// The proposal a run's overlay became: ConfigStore's answer, or its refusal passed through (status code and problem detail).
/// </summary>
public sealed record ProposalOutcome
{
    /// <summary>The recorded proposal; null when ConfigStore refused it.</summary>
    public ProposalSummary? Proposal { get; init; }

    /// <summary>ConfigStore's HTTP status when it refused (403, 413, 422, 429, …); null on success.</summary>
    public int? RefusedStatus { get; init; }

    /// <summary>ConfigStore's problem detail (or the transport error) when refused.</summary>
    public string? RefusedDetail { get; init; }
}
