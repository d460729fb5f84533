using Microsoft.Extensions.Logging;

namespace Evergreen.AgentRuntime.Agents;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "{Target} declares tools the runtime does not implement; they are ignored: {Tools}.")]
    public static partial void ToolsIgnored(ILogger logger, string target, string tools);

    [LoggerMessage(2, LogLevel.Information, "Run {RunId} of {Target} @ {RevisionId} with model {Model}, up to {MaxTurns} turns, tools [{Tools}].")]
    public static partial void RunStarting(ILogger logger, string runId, string target, string revisionId, string model, int maxTurns, string tools);

    [LoggerMessage(3, LogLevel.Warning, "Run {RunId} of {Target}: the model failed on turn {Turn}.")]
    public static partial void ModelFailed(ILogger logger, Exception exception, string runId, string target, int turn);

    [LoggerMessage(4, LogLevel.Information, "Run {RunId} of {Target} reached its limit of {MaxTurns} turns.")]
    public static partial void TurnLimitReached(ILogger logger, string runId, string target, int maxTurns);

    [LoggerMessage(5, LogLevel.Debug, "Run {RunId}: tool {Tool} failed: {Error}")]
    public static partial void ToolFailed(ILogger logger, string runId, string tool, string error);

    [LoggerMessage(6, LogLevel.Error, "Run {RunId}: tool {Tool} threw unexpectedly.")]
    public static partial void ToolCrashed(ILogger logger, Exception exception, string runId, string tool);

    [LoggerMessage(7, LogLevel.Information, "Run {RunId} of {Target} completed in {Turns} turns ({InputTokens} in, {OutputTokens} out tokens).")]
    public static partial void RunCompleted(ILogger logger, string runId, string target, int turns, long inputTokens, long outputTokens);

    [LoggerMessage(8, LogLevel.Information, "Proposal {ProposalId} for {Agent} recorded by ConfigStore ({FileCount} files, status {Status}).")]
    public static partial void ProposalSubmitted(ILogger logger, string proposalId, string agent, int fileCount, string status);

    [LoggerMessage(9, LogLevel.Warning, "ConfigStore refused the proposal of {Agent}: HTTP {StatusCode}: {Detail}")]
    public static partial void ProposalRefused(ILogger logger, string agent, int statusCode, string detail);

    [LoggerMessage(10, LogLevel.Warning, "The proposal of {Agent} was not submitted: {Detail}")]
    public static partial void ProposalFailed(ILogger logger, string agent, string detail);
}
