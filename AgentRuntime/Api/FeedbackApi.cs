using Evergreen.AgentRuntime.Metrics;
using Evergreen.AgentRuntime.Runs;

namespace Evergreen.AgentRuntime.Api;

/// <summary>
/// <c>POST /v1/feedback</c>: a client's verdict on a run, recorded against the revision that served the run. Kept in
/// memory with the metrics; only the replica that served the run knows it (run ids start with the replica name).
/// </summary>
internal static class FeedbackApi
{
    private const int MaxCommentLength = 4000;

    public static RouteHandlerBuilder MapFeedbackApi(this IEndpointRouteBuilder endpoints) => endpoints.MapPost("/v1/feedback", Record);

    private static IResult Record(FeedbackRequest? request, RunMetrics metrics, HttpContext http)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request?.RunId))
        {
            errors["runId"] = ["Give the runId that the run's response carried."];
        }

        if (request?.Score is not (1 or -1))
        {
            errors["score"] = ["score must be 1 (good) or -1 (bad)."];
        }

        if (request?.Comment is { Length: > MaxCommentLength })
        {
            errors["comment"] = [$"The comment has {request.Comment.Length} characters; the limit is {MaxCommentLength}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The feedback is not valid; nothing was recorded");
        }

        if (metrics.RevisionOf(request!.RunId!) is not { } revision)
        {
            return Problems.NotFound($"This replica did not serve run '{request.RunId}' (or served it too long ago to remember).");
        }

        metrics.RecordFeedback(revision, request.Score!.Value);
        http.Features.Set(new RunFeature(revision, request.RunId));
        return TypedResults.Accepted((string?)null, new FeedbackRecorded(request.RunId!, revision, request.Score.Value));
    }
}

internal sealed record FeedbackRequest
{
    public string? RunId { get; init; }

    public int? Score { get; init; }

    public string? Comment { get; init; }
}

internal sealed record FeedbackRecorded(string RunId, string Revision, int Score);
