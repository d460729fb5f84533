namespace Evergreen.AgentRuntime.Runs;

/// <summary>Body of <c>POST /v1/plugins/{plugin}/agents/{agent}</c> and the other run endpoints.</summary>
internal sealed record RunRequest
{
    public string? Prompt { get; init; }

    public int? MaxTurns { get; init; }
}

/// <summary>Body of <c>POST /v1/plugins/stream</c>.</summary>
internal sealed record PluginStreamRequest
{
    public string? Plugin { get; init; }

    public string? Agent { get; init; }

    public string? Prompt { get; init; }

    public int? MaxTurns { get; init; }
}

/// <summary>Answer to a stream request: where to read the session's events.</summary>
internal sealed record StreamSessionResponse(string SessionId, string StreamUrl, string Revision, string Replica);
