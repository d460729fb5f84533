using Evergreen.AppHost.Hosting;
using Evergreen.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http;

namespace Evergreen.AppHost.Control;

/// <summary>Requires <c>Authorization: Bearer &lt;admin token&gt;</c>, compared in constant time; 401 problem details otherwise.</summary>
internal sealed class AdminTokenFilter(DistributedApplication application) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        var presented = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;

        if (presented is null || !AdminToken.Matches(presented, application.AdminToken))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(
                title: "Admin token required",
                detail: "Send Authorization: Bearer <token>. The token is in .evergreen/admin-token (or Evergreen:AdminToken when configured).",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context);
    }
}
