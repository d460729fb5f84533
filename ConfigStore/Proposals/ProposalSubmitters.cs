using Evergreen.ServiceDefaults.Security;

namespace Evergreen.ConfigStore.Proposals;

/// <summary>
/// Who may submit a proposal: a runtime (bearer <c>Evergreen:RuntimeToken</c>, env <c>Evergreen__RuntimeToken</c>) or an
/// admin (bearer <c>Evergreen:AdminToken</c>). Both are read per request, so a rotated token applies at once, compared
/// in constant time, and never logged. An unset token matches nothing.
/// </summary>
internal static class ProposalSubmitters
{
    public const string RuntimeTokenKey = "Evergreen:RuntimeToken";
    public const string Runtime = "runtime";
    public const string Admin = "admin";
    private const string BearerPrefix = "Bearer ";
    private static readonly object SubmitterKey = new();

    /// <summary>The submitter that <see cref="Filter"/> recognised for this request.</summary>
    public static string Of(HttpContext context) => (string)context.Items[SubmitterKey]!;

    /// <summary>An endpoint filter that answers 401 (problem details, <c>WWW-Authenticate: Bearer</c>) unless a token matches.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var configuration = context.RequestServices.GetRequiredService<IConfiguration>();
        var header = context.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? header[BearerPrefix.Length..].Trim() : null;
        // Both comparisons always run, so the time taken does not say which token was close.
        var isRuntime = presented is not null && Matches(presented, configuration[RuntimeTokenKey]);
        var isAdmin = presented is not null && Matches(presented, configuration[AdminToken.ConfigurationKey]);
        if (isRuntime || isAdmin)
        {
            context.Items[SubmitterKey] = isAdmin ? Admin : Runtime;
            return await next(invocation);
        }

        context.Response.Headers.WWWAuthenticate = presented is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Runtime or admin authentication required",
            detail: presented is null
                ? "POST /api/proposals needs the header 'Authorization: Bearer <token>' with the runtime token (Evergreen:RuntimeToken) or the admin token (Evergreen:AdminToken)."
                : "The token is neither the runtime token nor the admin token.");
    }

    private static bool Matches(string presented, string? expected) =>
        !string.IsNullOrEmpty(expected) & AdminToken.Matches(presented, expected ?? string.Empty);
}
