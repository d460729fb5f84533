namespace Evergreen.AgentRuntime.Runs;

/// <summary>
/// The revision a request captured and its run id, for the <c>X-Evergreen-*</c> response headers. Set on the
/// <see cref="Microsoft.AspNetCore.Http.HttpContext"/> features before the response starts.
/// </summary>
internal sealed class RunFeature(string revision, string? runId)
{
    public string Revision { get; } = revision;

    public string? RunId { get; } = runId;
}
