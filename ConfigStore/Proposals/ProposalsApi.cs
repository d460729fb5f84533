using Evergreen.Contracts.Proposals;
using LibGit2Sharp;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Evergreen.ConfigStore.Proposals;

/// <summary>
/// Proposals: agents (through a runtime) submit changes to their own plugin; admins list, read, approve and reject them.
/// Every refusal is a problem-details response, and a refused request changes nothing.
/// </summary>
internal static class ProposalsApi
{
    private static readonly string[] Statuses = [ProposalStatus.Pending, ProposalStatus.Merged, ProposalStatus.Rejected];

    public static RouteGroupBuilder MapProposalsApi(this IEndpointRouteBuilder app)
    {
        var proposals = app.MapGroup("/api/proposals");
        proposals.MapPost("/", CreateAsync).AddEndpointFilter(ProposalSubmitters.Filter);
        proposals.MapGet("/", ListAsync).RequireAdmin();
        proposals.MapGet("/{id}", GetAsync).RequireAdmin();
        proposals.MapPost("/{id}/approve", ApproveAsync).RequireAdmin();
        proposals.MapPost("/{id}/reject", RejectAsync).RequireAdmin();
        return proposals;
    }

    private static async Task<IResult> CreateAsync(ProposalRequest? request, ProposalService proposals, HttpContext context, CancellationToken cancellationToken)
    {
        if (Validate(request) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors, title: "The proposal is malformed; nothing was recorded.");
        }

        try
        {
            var (created, problem) = await proposals.CreateAsync(request!, ProposalSubmitters.Of(context), cancellationToken);
            return created is not null ? TypedResults.Created($"/api/proposals/{created.Id}", created) : problem!.ToResult(context);
        }
        catch (LibGit2SharpException ex)
        {
            return Unreachable(ex).ToResult(context);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<ProposalSummary>>, ValidationProblem>> ListAsync(
        string? status, ProposalStore store, CancellationToken cancellationToken)
    {
        if (status is not null && !Statuses.Contains(status))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["status"] = [$"'{status}' is not a proposal status; use {string.Join(", ", Statuses)}, or leave it out for all."],
            });
        }

        return TypedResults.Ok(await store.ListAsync(status, cancellationToken));
    }

    private static async Task<Results<Ok<ProposalDetails>, ProblemHttpResult>> GetAsync(string id, ProposalStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is var (proposal, diff)
            ? TypedResults.Ok(new ProposalDetails { Proposal = proposal, Diff = diff })
            : TypedResults.Problem(detail: $"No proposal '{id}' is recorded.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<IResult> ApproveAsync(string id, ProposalDecisions decisions, HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            var (approved, problem) = await decisions.ApproveAsync(id, cancellationToken);
            return approved is not null ? TypedResults.Ok(approved) : problem!.ToResult(context);
        }
        catch (LibGit2SharpException ex)
        {
            return Unreachable(ex).ToResult(context);
        }
    }

    private static async Task<IResult> RejectAsync(
        string id, ProposalRejection? rejection, ProposalDecisions decisions, HttpContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(rejection?.Reason))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["reason"] = ["Say why the proposal is rejected: {\"reason\": \"...\"}."],
            });
        }

        var (rejected, problem) = await decisions.RejectAsync(id, rejection.Reason.Trim(), cancellationToken);
        return rejected is not null ? TypedResults.Ok(rejected) : problem!.ToResult(context);
    }

    // Raised before anything was recorded: a proposal's row is written only after its push succeeded.
    private static ProposalProblem Unreachable(LibGit2SharpException ex) => new(
        StatusCodes.Status502BadGateway, "The plugin repository could not be reached.", $"{ex.Message} Nothing was recorded; try again.");

    private static Dictionary<string, string[]> Validate(ProposalRequest? request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request is null)
        {
            errors["body"] = ["Send {\"agent\": \"plugin:agent\", \"files\": [{\"path\": \"...\", \"content\": \"...\"}], \"rationale\": \"...\"}."];
            return errors;
        }

        if (string.IsNullOrWhiteSpace(request.Agent))
        {
            errors["agent"] = ["Name the agent that proposes the change, as 'plugin:agent'."];
        }

        if (request.Files is not { Count: > 0 })
        {
            errors["files"] = ["List at least one file: {\"path\": \"...\", \"content\": \"...\"} or {\"path\": \"...\", \"delete\": true}."];
            return errors;
        }

        for (var i = 0; i < request.Files.Count; i++)
        {
            var file = request.Files[i];
            if (file is null || string.IsNullOrWhiteSpace(file.Path))
            {
                errors[$"files[{i}].path"] = ["Give the file's repository-relative path."];
            }
            else if (file.Delete == file.Content is not null)
            {
                errors[$"files[{i}]"] = [file.Delete
                    ? "Give either content or \"delete\": true, not both."
                    : "Give the file's content, or \"delete\": true to delete it."];
            }
        }

        return errors;
    }
}
