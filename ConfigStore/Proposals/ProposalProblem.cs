namespace Evergreen.ConfigStore.Proposals;

/// <summary>Why a proposal request or decision was refused: becomes a problem-details response, and nothing changed.</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Title">A short summary of the kind of problem.</param>
/// <param name="Detail">What is wrong and how to fix it.</param>
/// <param name="Extensions">Extra members of the problem body (<c>errors</c>, <c>paths</c>, …); null for none.</param>
/// <param name="RetryAfter">Sent as <c>Retry-After</c> (whole seconds, rounded up); null for none.</param>
internal sealed record ProposalProblem(
    int Status,
    string Title,
    string Detail,
    IDictionary<string, object?>? Extensions = null,
    TimeSpan? RetryAfter = null)
{
    public IResult ToResult(HttpContext context)
    {
        if (RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(Math.Max(1, wait.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(detail: Detail, statusCode: Status, title: Title, extensions: Extensions);
    }
}
