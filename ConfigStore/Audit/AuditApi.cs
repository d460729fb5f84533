using System.Globalization;
using Evergreen.Contracts.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Evergreen.ConfigStore.Audit;

/// <summary><c>GET /api/audit</c> (admin): the audit log, newest first, filtered by time, type and agent.</summary>
internal static class AuditApi
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").RequireAdmin();
        audit.MapGet("/", QueryAsync);
        return audit;
    }

    private static async Task<Results<Ok<IReadOnlyList<AuditEntry>>, ValidationProblem>> QueryAsync(
        string? since, string? type, string? agent, string? limit, AuditLog auditLog, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        DateTimeOffset? sinceTime = null;
        if (!string.IsNullOrWhiteSpace(since))
        {
            if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                sinceTime = parsed;
            }
            else
            {
                errors[nameof(since)] = [$"'{since}' is not a time. Write ISO 8601 with a zone, e.g. 2025-01-31T12:00:00Z."];
            }
        }

        var parsedLimit = DefaultLimit;
        if (!string.IsNullOrWhiteSpace(limit)
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out parsedLimit) || parsedLimit is < 1 or > MaxLimit))
        {
            errors[nameof(limit)] = [$"'{limit}' is not a whole number between 1 and {MaxLimit}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The audit query is not valid.");
        }

        // type=a,b asks for either; blanks are dropped so "type=" means every type.
        var types = (type ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var query = new AuditQuery(sinceTime, types, string.IsNullOrWhiteSpace(agent) ? null : agent.Trim(), parsedLimit);
        return TypedResults.Ok(await auditLog.QueryAsync(query, cancellationToken));
    }
}
