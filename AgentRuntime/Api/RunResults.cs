using Evergreen.AgentRuntime.Runs;

namespace Evergreen.AgentRuntime.Api;

/// <summary>Answers a prepared run as JSON, or as server-sent events when the client sent <c>Accept: text/event-stream</c>.</summary>
internal static class RunResults
{
    public static async Task<IResult> RunAsync(HttpContext http, RunExecutor executor, PreparedRun prepared, CancellationToken cancellationToken)
    {
        if (WantsEventStream(http.Request))
        {
            return new EventStreamResult(executor, prepared);
        }

        return await executor.AnswerAsync(http, prepared, cancellationToken);
    }

    private static bool WantsEventStream(HttpRequest request) =>
        request.Headers.Accept.Any(value => value?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true);

    private sealed class EventStreamResult(RunExecutor executor, PreparedRun prepared) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => executor.StreamAsync(httpContext, prepared, httpContext.RequestAborted);
    }
}
