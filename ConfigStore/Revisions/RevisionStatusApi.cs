using Evergreen.Contracts.Revisions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Evergreen.ConfigStore.Revisions;

/// <summary><c>PUT /api/revisions/{id}/status</c> (admin): roll a valid revision back, or reinstate a rolled-back one.</summary>
internal static class RevisionStatusApi
{
    public static RouteHandlerBuilder MapRevisionStatusApi(this IEndpointRouteBuilder app) =>
        app.MapPut("/api/revisions/{id}/status", ChangeStatusAsync).RequireAdmin();

    private static async Task<Results<Ok<RevisionSummary>, ProblemHttpResult>> ChangeStatusAsync(
        string id, RevisionStatusChange? change, RevisionStatusChanger changer, RevisionStore store, RevisionOutboxPublisher publisher, CancellationToken cancellationToken)
    {
        var status = change?.Status;
        if (status is not (RevisionStatus.RolledBack or RevisionStatus.Valid))
        {
            return TypedResults.Problem(
                title: "The status cannot be set to that value.",
                detail: status == RevisionStatus.Invalid
                    ? "status: 'invalid' is set only by validation. Send {\"status\": \"rolled-back\"} to withdraw a revision or {\"status\": \"valid\"} to reinstate it."
                    : $"status: '{status}' is not a status an administrator can set. Send {{\"status\": \"rolled-back\"}} to withdraw a revision or {{\"status\": \"valid\"}} to reinstate it.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        var outcome = await changer.ChangeAsync(id, status, change?.Reason, cancellationToken);
        switch (outcome.Result)
        {
            case StatusChangeResult.NotFound:
                return TypedResults.Problem(detail: $"No revision '{id}' is stored.", statusCode: StatusCodes.Status404NotFound);
            case StatusChangeResult.Invalid:
                return TypedResults.Problem(
                    title: "An invalid revision's status cannot change.",
                    detail: $"Revision '{id}' is invalid: its plugins failed validation with {outcome.ErrorCount} error(s) (GET /api/revisions/{id} lists them), so runtimes can never load it. Fix the files in a new commit instead.",
                    statusCode: StatusCodes.Status409Conflict);
            case StatusChangeResult.Changed:
                publisher.Wake();
                break;
        }

        var details = await store.GetDetailsAsync(id, cancellationToken);
        return details is null
            ? TypedResults.Problem(detail: $"No revision '{id}' is stored.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(details.Revision);
    }
}
