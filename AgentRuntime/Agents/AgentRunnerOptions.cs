using Evergreen.ServiceDefaults.Hosting;
using Microsoft.Extensions.Configuration;

namespace Evergreen.AgentRuntime.Agents;

/// <summary>Limits of the agent loop, from configuration section <c>AgentRuntime</c>.</summary>
internal sealed record AgentRunnerOptions
{
    public const string SectionName = "AgentRuntime";

    /// <summary>The turn limit of a run when neither the target nor the request sets one, and the cap on both.</summary>
    public int MaxTurns { get; init; } = 20;

    /// <summary>The model's output limit per turn.</summary>
    public int MaxOutputTokens { get; init; } = 4096;

    /// <summary>The largest file a run may read or write.</summary>
    public long MaxFileBytes { get; init; } = 1024 * 1024;

    /// <summary>How much of the model's final text becomes a proposal's rationale.</summary>
    public int MaxRationaleChars { get; init; } = 4000;

    public static AgentRunnerOptions From(IConfiguration configuration) => new()
    {
        MaxTurns = ConfigurationValues.GetInt32(configuration, $"{SectionName}:MaxTurns", 20, 1, 1000),
        MaxOutputTokens = ConfigurationValues.GetInt32(configuration, $"{SectionName}:MaxOutputTokens", 4096, 1, 1_000_000),
        MaxFileBytes = ConfigurationValues.GetInt64(configuration, $"{SectionName}:MaxFileBytes", 1024 * 1024, 1, 100L * 1024 * 1024),
        MaxRationaleChars = ConfigurationValues.GetInt32(configuration, $"{SectionName}:MaxRationaleChars", 4000, 100, 100_000),
    };
}
